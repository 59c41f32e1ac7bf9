using System.Net;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Correspondence.IncomingFlow;

namespace MotCua.FunctionApp.Tests.Correspondence;

[Collection(AzuriteCollection.Name)]
public sealed class IncomingPageImageTests : IAsyncLifetime
{
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<(HttpStatusCode Status, string? Type, byte[] Body, HttpResponseMessage Response)> ImageAsync(string id, string documentId, string page, CurrentUser? user)
    {
        var response = await _app.Http.SendAsync(_app.Request(HttpMethod.Get, $"/api/incoming/{id}/files/{documentId}/pages/{page}/image", user));
        var body = await response.Content.ReadAsByteArrayAsync();
        var type = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("type").GetString() : null;
        return (response.StatusCode, type, body, response);
    }

    [Fact]
    public async Task Each_page_of_a_scan_comes_back_as_poppler_renders_it_at_100_dpi_to_whoever_may_read_the_document()
    {
        var first = Scans.TextPdf(["CÔNG AN TỈNH KHÁNH HÒA", "Số: 77/CAT-PV01", "Trang thứ nhất"]);
        var second = Scans.TextPdf(["Nơi nhận:", "- Như trên;", "- Lưu: VT."], size: 20);
        var scan = await UniteAsync(first, second);
        var png = await Scans.ImageAsync(first, "png", dpi: 72);
        var id = await ArrivePaperAsync(_app, PaperLetter("77", "Về công tác phòng, chống thiên tai"), ("cong-van-77.pdf", scan), ("phu-luc.png", png));
        var files = (await CheckedAsync(_app, id, Users.RecordsClerk)).Body.GetProperty("files").EnumerateArray().ToList();
        var pdfId = files.Single(f => f.GetProperty("fileName").GetString() == "cong-van-77.pdf").GetProperty("documentId").GetString()!;
        var pngId = files.Single(f => f.GetProperty("fileName").GetString() == "phu-luc.png").GetProperty("documentId").GetString()!;
        var written = await _app.CountWrittenAsync();

        var page1 = await ImageAsync(id, pdfId, "1", Users.RecordsClerk);
        Assert.Equal(HttpStatusCode.OK, page1.Status);
        Assert.Equal("image/png", page1.Response.Content.Headers.ContentType?.MediaType);
        // Like every answer under /api, a page of a letter is kept by no cache.
        Assert.True(page1.Response.Headers.CacheControl?.NoStore);
        Assert.Equal(await RenderAsync(scan, 1), page1.Body);
        var page2 = await ImageAsync(id, pdfId, "2", Users.Officer);
        Assert.Equal(HttpStatusCode.OK, page2.Status);
        Assert.Equal(await RenderAsync(scan, 2), page2.Body);
        Assert.NotEqual(page1.Body, page2.Body);
        // An A4 page at 100 dpi: 827 × 1170 pixels, as the PNG header says.
        Assert.Equal((827, 1170), PngSize(page1.Body));

        Assert.Equal((HttpStatusCode.NotFound, "https://motcua.vn/problems/page-not-found"), Problem(await ImageAsync(id, pdfId, "3", Users.RecordsClerk)));
        Assert.Equal((HttpStatusCode.NotFound, "https://motcua.vn/problems/page-not-found"), Problem(await ImageAsync(id, pdfId, "0", Users.RecordsClerk)));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "https://motcua.vn/problems/page-image-unavailable"), Problem(await ImageAsync(id, pngId, "1", Users.RecordsClerk)));
        Assert.Equal((HttpStatusCode.NotFound, "https://motcua.vn/problems/document-not-found"),
            Problem(await ImageAsync(id, "0123456789abcdef0123456789abcdef", "1", Users.RecordsClerk)));
        Assert.Equal((HttpStatusCode.NotFound, "https://motcua.vn/problems/document-not-found"), Problem(await ImageAsync(id, new string('a', 65), "1", Users.RecordsClerk)));
        Assert.Equal((HttpStatusCode.NotFound, "https://motcua.vn/problems/incoming-not-found"), Problem(await ImageAsync(id, pdfId, "1", Users.OtherAgencyRecordsClerk)));
        Assert.Equal((HttpStatusCode.Forbidden, "https://motcua.vn/problems/forbidden"), Problem(await ImageAsync(id, pdfId, "1", Users.Citizen)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await ImageAsync(id, pdfId, "1", null)).Status);
        Assert.Equal((HttpStatusCode.BadRequest, "https://motcua.vn/problems/bad-incoming-id"), Problem(await ImageAsync("IN-khong-hop-le", pdfId, "1", Users.RecordsClerk)));
        Assert.Equal(HttpStatusCode.NotFound, (await ImageAsync(id, pdfId, "mot", Users.RecordsClerk)).Status);
        Assert.Equal(written, await _app.CountWrittenAsync());

        // Each image was a temporary file of its own, gone once sent.
        await Eventually.GetAsync(() => Task.FromResult(Directory.GetFiles(Path.GetTempPath(), "motcua-page-*.png").Length == 0 ? "" : null), "the page images to be removed");
    }

    [Fact]
    public async Task A_secret_document_has_no_page_to_show_and_hides_from_those_who_do_not_handle_it()
    {
        var id = await ArrivePaperAsync(_app, PaperLetter("12", "Về công tác bảo đảm an ninh", secret: true));
        Assert.Equal((HttpStatusCode.NotFound, "https://motcua.vn/problems/document-not-found"),
            Problem(await ImageAsync(id, "0123456789abcdef0123456789abcdef", "1", Users.RecordsClerk)));
        Assert.Equal((HttpStatusCode.NotFound, "https://motcua.vn/problems/incoming-not-found"),
            Problem(await ImageAsync(id, "0123456789abcdef0123456789abcdef", "1", Users.Officer)));
    }

    private static (HttpStatusCode, string?) Problem((HttpStatusCode Status, string? Type, byte[] Body, HttpResponseMessage Response) answer)
    {
        answer.Response.Dispose();
        return (answer.Status, answer.Type);
    }

    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    /// <summary>The two documents as one, by poppler's pdfunite.</summary>
    private static async Task<byte[]> UniteAsync(byte[] first, byte[] second)
    {
        var folder = Directory.CreateTempSubdirectory("motcua-unite-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, "1.pdf"), first);
            await File.WriteAllBytesAsync(Path.Combine(folder, "2.pdf"), second);
            await Tools.RunAsync("pdfunite", Path.Combine(folder, "1.pdf"), Path.Combine(folder, "2.pdf"), Path.Combine(folder, "all.pdf"));
            return await File.ReadAllBytesAsync(Path.Combine(folder, "all.pdf"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The page as poppler renders it here, independently of the app.</summary>
    private static async Task<byte[]> RenderAsync(byte[] pdf, int page)
    {
        var folder = Directory.CreateTempSubdirectory("motcua-render-").FullName;
        try
        {
            var source = Path.Combine(folder, "source.pdf");
            await File.WriteAllBytesAsync(source, pdf);
            var n = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Tools.RunAsync("pdftoppm", "-f", n, "-l", n, "-r", "100", "-png", "-singlefile", source, Path.Combine(folder, "page"));
            return await File.ReadAllBytesAsync(Path.Combine(folder, "page.png"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
