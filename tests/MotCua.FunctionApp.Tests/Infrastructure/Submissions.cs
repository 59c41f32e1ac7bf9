using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Dossiers;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>Builds multipart submissions byte by byte, so tests control every header and part order.</summary>
public sealed class Submission
{
    public const string Boundary = "----motcua-test-boundary";
    private readonly List<(string Headers, Func<Stream> Body)> _parts = [];

    public static string DossierJson(string procedure = "1.001193", string unit = DemoData.NhaTrangWard, string name = "Nguyễn Thị Hoa", string idNumber = "001190012345") =>
        JsonSerializer.Serialize(new { procedureCode = procedure, receivingUnit = unit, applicant = new { fullName = name, idNumber, phone = "0912345678" } });

    public static Submission Valid(string? dossierJson = null) =>
        new Submission().Dossier(dossierJson ?? DossierJson()).Document("to-khai.pdf", Pdfs.Minimal());

    public Submission Dossier(string json) =>
        Part("Content-Disposition: form-data; name=\"dossier\"\r\nContent-Type: application/json", () => new MemoryStream(Encoding.UTF8.GetBytes(json)));

    public Submission Document(string fileName, byte[] content) =>
        Document($"filename=\"{fileName}\"", () => new MemoryStream(content));

    public Submission Document(string dispositionFileName, Func<Stream> content) =>
        Part($"Content-Disposition: form-data; name=\"document\"; {dispositionFileName}\r\nContent-Type: application/pdf", content);

    /// <summary>A file that provides the procedure's component <paramref name="component"/> (1-based).</summary>
    public Submission Document(int component, string fileName, byte[] content) =>
        Part($"Content-Disposition: form-data; name=\"document:{component}\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream", () => new MemoryStream(content));

    public Submission Part(string headers, Func<Stream> body)
    {
        _parts.Add((headers, body));
        return this;
    }

    /// <param name="chunked">Send without Content-Length, as a phone on a slow link would.</param>
    public HttpContent ToContent(bool chunked = false)
    {
        var type = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        if (chunked) return new StreamContent(new MultipartStream(_parts)) { Headers = { ContentType = type } };
        using var buffer = new MemoryStream();
        new MultipartStream(_parts).CopyTo(buffer);
        return new ByteArrayContent(buffer.ToArray()) { Headers = { ContentType = type } };
    }

    /// <summary>Concatenates the parts lazily, so a huge test file is generated as it is sent.</summary>
    private sealed class MultipartStream(List<(string Headers, Func<Stream> Body)> parts) : Stream
    {
        private readonly IEnumerator<Stream> _pieces = Pieces(parts).GetEnumerator();
        private Stream? _current;

        private static IEnumerable<Stream> Pieces(List<(string Headers, Func<Stream> Body)> parts)
        {
            foreach (var (headers, body) in parts)
            {
                yield return new MemoryStream(Encoding.UTF8.GetBytes($"--{Boundary}\r\n{headers}\r\n\r\n"));
                yield return body();
                yield return new MemoryStream("\r\n"u8.ToArray());
            }
            yield return new MemoryStream(Encoding.UTF8.GetBytes($"--{Boundary}--\r\n"));
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (true)
            {
                if (_current is null)
                {
                    if (!_pieces.MoveNext()) return 0;
                    _current = _pieces.Current;
                }
                var read = _current.Read(buffer, offset, count);
                if (read > 0) return read;
                _current.Dispose();
                _current = null;
            }
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public static class Pdfs
{
    public static byte[] Minimal(int padding = 0) => Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        + (padding > 0 ? "%" + new string('x', padding) + "\n" : "")
        + "trailer<</Root 1 0 R>>\n%%EOF\n");

    /// <summary>A PDF of <paramref name="bytes"/> bytes, generated while read.</summary>
    public static Stream Large(long bytes) => new GeneratedPdfStream(bytes);

    private sealed class GeneratedPdfStream(long length) : Stream
    {
        private static readonly byte[] Header = "%PDF-1.7\n%"u8.ToArray();
        private long _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                var p = _position + i;
                buffer[offset + i] = p < Header.Length ? Header[p] : (byte)'x';
            }
            _position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public static class DossierApi
{
    public static async Task<SubmittedDossier> SubmitAsync(TestApp app, Auth.CurrentUser user, Submission? submission = null)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Post, "/api/dossiers", user, (submission ?? Submission.Valid()).ToContent()));
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
            throw new Xunit.Sdk.XunitException($"Submission answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<SubmittedDossier>(JsonSerializerOptions.Web))!;
    }

    public static async Task<DossierView?> GetAsync(TestApp app, string code, Auth.CurrentUser user)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{code}", user));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<DossierView>(JsonSerializerOptions.Web);
    }
}
