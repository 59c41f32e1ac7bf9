using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace MotCua.FunctionApp.Tests.Infrastructure.Signing;

public enum PdfSubFilter
{
    AdbePkcs7Detached,
    EtsiCadesDetached,
}

public sealed record PdfSignatureOptions
{
    public PdfSubFilter SubFilter { get; init; } = PdfSubFilter.AdbePkcs7Detached;

    /// <summary>Goes into /M, and into the CMS signingTime attribute for adbe.pkcs7.detached. Defaults to now.</summary>
    public DateTimeOffset? SigningTime { get; init; }

    /// <summary>Overrides the default (signingTime for adbe.pkcs7.detached, none for CAdES).</summary>
    public bool? IncludeSigningTimeAttribute { get; init; }

    /// <summary>Defaults to "Signature{n}", n counting the fields already in the file.</summary>
    public string? FieldName { get; init; }

    public string? Reason { get; init; }

    /// <summary>Usually the intermediate, so verifiers can build the chain from the CMS alone.</summary>
    public X509Certificate2Collection? ExtraCertificates { get; init; }

    public TimestampAuthority? Timestamp { get; init; }
    public DateTimeOffset? TimestampTime { get; init; }

    /// <summary>Hex digits reserved for /Contents; the CMS must fit, the rest is zero padding.</summary>
    public int ContentsHexLength { get; init; } = 16384;
}

/// <summary>
/// Writes small PDFs from scratch and signs them with incremental updates, the way signing tools do,
/// so every signature verdict (valid, broken digest, partial coverage, multiple signers) can be produced on demand.
/// Only files made here are supported: the parsing relies on their plain, uncompressed layout.
/// </summary>
public static partial class SignedPdfBuilder
{
    private static readonly Encoding Latin1 = Encoding.Latin1;
    private const int ByteRangeWidth = 48;

    /// <summary>A PDF with <paramref name="lines"/> (ASCII, Helvetica) on page 1, "Page k" on the others, and optional incompressible padding.</summary>
    public static byte[] CreatePdf(IReadOnlyList<string> lines, int pages = 1, int paddingBytes = 0, string title = "MotCua test document")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1);
        var objects = new List<byte[]>();
        int Add(string body) { objects.Add(Latin1.GetBytes(body)); return objects.Count; }
        int AddStream(byte[] data, string extra = "")
        {
            var head = Latin1.GetBytes($"<< /Length {data.Length}{extra} >>\nstream\n");
            objects.Add([.. head, .. data, .. Latin1.GetBytes("\nendstream")]);
            return objects.Count;
        }

        var pageNumbers = Enumerable.Range(0, pages).Select(i => 5 + 2 * i).ToList();
        Add("<< /Type /Catalog /Pages 2 0 R >>");
        Add($"<< /Type /Pages /Kids [{string.Join(' ', pageNumbers.Select(n => $"{n} 0 R"))}] /Count {pages} >>");
        Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        Add($"<< /Title ({Escape(title)}) /Producer (MotCua test fixtures) /CreationDate ({PdfDate(DateTimeOffset.UtcNow)}) >>");
        for (var page = 0; page < pages; page++)
        {
            var text = page == 0 ? lines : [$"Page {page + 1}"];
            Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {pageNumbers[page] + 1} 0 R >>");
            AddStream(Latin1.GetBytes(ContentStream(text)));
        }
        if (paddingBytes > 0)
            AddStream(RandomNumberGenerator.GetBytes(paddingBytes));

        using var output = new MemoryStream();
        Write(output, "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(output.Position);
            Write(output, $"{i + 1} 0 obj\n");
            output.Write(objects[i]);
            Write(output, "\nendobj\n");
        }
        var xref = output.Position;
        var table = new StringBuilder($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) table.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        table.Append(CultureInfo.InvariantCulture,
            $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R /Info 4 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n%%EOF\n");
        Write(output, table.ToString());
        return output.ToArray();
    }

    public static void CreatePdf(string path, IReadOnlyList<string> lines, int pages = 1, int paddingBytes = 0, string title = "MotCua test document") =>
        File.WriteAllBytes(path, CreatePdf(lines, pages, paddingBytes, title));

    /// <summary>
    /// Appends an incremental update holding a new signature field (invisible widget on page 1) and its
    /// signature dictionary; the CMS covers the whole file except the /Contents hex string.
    /// The certificate is never checked, so expired or not-yet-valid signers work too.
    /// </summary>
    public static byte[] Sign(byte[] pdf, X509Certificate2 signer, PdfSignatureOptions? options = null)
    {
        options ??= new();
        var document = PdfState.Read(pdf);
        var signingTime = options.SigningTime ?? DateTimeOffset.UtcNow;
        var sigObject = document.Size;
        var fieldObject = document.Size + 1;
        var fieldName = options.FieldName ?? $"Signature{document.FieldRefs.Count + 1}";
        var subFilter = options.SubFilter == PdfSubFilter.AdbePkcs7Detached ? "adbe.pkcs7.detached" : "ETSI.CAdES.detached";
        var reason = options.Reason is null ? "" : $" /Reason ({Escape(options.Reason)})";

        var update = new IncrementalUpdate(document, pdf.Length);
        update.Add(sigObject,
            $"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /{subFilter} /M ({PdfDate(signingTime)}){reason} " +
            $"/ByteRange {new string(' ', ByteRangeWidth)} /Contents <{new string('0', options.ContentsHexLength)}> >>");
        update.Add(fieldObject,
            $"<< /Type /Annot /Subtype /Widget /FT /Sig /T ({Escape(fieldName)}) /V {sigObject} 0 R /F 132 /Rect [0 0 0 0] /P {document.FirstPage} 0 R >>");
        update.Add(document.Root, document.CatalogWithFields([.. document.FieldRefs, fieldObject]));
        update.Add(document.FirstPage, document.FirstPageWithAnnotation(fieldObject));
        var bytes = update.Finish(document.Size + 2, document.Info);

        // The gap is exactly the <…> hex string, angle brackets included.
        var sigStart = (int)update.OffsetOf(sigObject);
        var gapStart = IndexOf(bytes, "/Contents <", sigStart) + "/Contents ".Length;
        var gapEnd = gapStart + options.ContentsHexLength + 2;
        var byteRange = $"[0 {gapStart} {gapEnd} {bytes.Length - gapEnd}]".PadRight(ByteRangeWidth);
        Latin1.GetBytes(byteRange).CopyTo(bytes, IndexOf(bytes, "/ByteRange ", sigStart) + "/ByteRange ".Length);

        byte[] signedData = [.. bytes.AsSpan(0, gapStart), .. bytes.AsSpan(gapEnd)];
        var cms = DetachedSignature.Sign(signedData, signer, new CmsSignatureOptions
        {
            SigningTime = (options.IncludeSigningTimeAttribute ?? options.SubFilter == PdfSubFilter.AdbePkcs7Detached) ? signingTime : null,
            IncludeSigningCertificateV2 = options.SubFilter == PdfSubFilter.EtsiCadesDetached,
            ExtraCertificates = options.ExtraCertificates,
            Timestamp = options.Timestamp,
            TimestampTime = options.TimestampTime ?? signingTime,
        }, encapsulate: false);
        var hex = Convert.ToHexString(cms);
        if (hex.Length > options.ContentsHexLength)
            throw new InvalidOperationException($"CMS needs {hex.Length} hex digits; raise ContentsHexLength above {options.ContentsHexLength}.");
        Latin1.GetBytes(hex).CopyTo(bytes, gapStart + 1);
        return bytes;
    }

    public static void Sign(string path, X509Certificate2 signer, PdfSignatureOptions? options = null) =>
        File.WriteAllBytes(path, Sign(File.ReadAllBytes(path), signer, options));

    /// <summary>
    /// An incremental update after the last signature (new Info dictionary, optionally a text annotation on page 1),
    /// so the last signature no longer covers the whole file yet stays cryptographically valid.
    /// </summary>
    public static byte[] AppendUnsignedChange(byte[] pdf, string title = "Changed after signing", bool addAnnotation = false)
    {
        var document = PdfState.Read(pdf);
        var update = new IncrementalUpdate(document, pdf.Length);
        var infoObject = document.Size;
        var size = document.Size + 1;
        update.Add(infoObject, $"<< /Title ({Escape(title)}) /Producer (MotCua test fixtures) /ModDate ({PdfDate(DateTimeOffset.UtcNow)}) >>");
        if (addAnnotation)
        {
            var annotation = size++;
            update.Add(annotation, $"<< /Type /Annot /Subtype /Text /Rect [50 50 70 70] /Contents ({Escape(title)}) /P {document.FirstPage} 0 R >>");
            update.Add(document.FirstPage, document.FirstPageWithAnnotation(annotation));
        }
        return update.Finish(size, infoObject);
    }

    public static void AppendUnsignedChange(string path, string title = "Changed after signing", bool addAnnotation = false) =>
        File.WriteAllBytes(path, AppendUnsignedChange(File.ReadAllBytes(path), title, addAnnotation));

    /// <summary>A copy with one bit changed at <paramref name="offset"/>, e.g. inside page text that a signature covers.</summary>
    public static byte[] FlipByte(byte[] pdf, long offset)
    {
        var copy = (byte[])pdf.Clone();
        copy[offset] ^= 0x01;
        return copy;
    }

    public static void FlipByte(string path, long offset) => File.WriteAllBytes(path, FlipByte(File.ReadAllBytes(path), offset));

    /// <summary>Offset of the first occurrence of <paramref name="ascii"/> (e.g. a text line), to aim <see cref="FlipByte(byte[], long)"/>.</summary>
    public static int OffsetOf(byte[] pdf, string ascii) => IndexOf(pdf, ascii, 0);

    /// <summary>The ByteRange and CMS (trailing zero padding removed) of each signature, oldest first.</summary>
    public static IReadOnlyList<(long[] ByteRange, byte[] Cms)> ReadSignatures(byte[] pdf)
    {
        var text = Latin1.GetString(pdf);
        return SignaturePattern().Matches(text).Select(match =>
        {
            var range = match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToArray();
            var der = Convert.FromHexString(match.Groups[2].Value);
            System.Formats.Asn1.AsnDecoder.ReadEncodedValue(der, System.Formats.Asn1.AsnEncodingRules.BER, out _, out _, out var length);
            return (range, der[..length]);
        }).ToList();
    }

    [GeneratedRegex(@"/ByteRange\s*\[([0-9 ]+)\]\s*/Contents\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex SignaturePattern();

    private static string ContentStream(IReadOnlyList<string> lines)
    {
        var text = new StringBuilder("BT\n/F1 12 Tf\n14 TL\n72 770 Td\n");
        foreach (var line in lines) text.Append(CultureInfo.InvariantCulture, $"({Escape(line)}) Tj T*\n");
        return text.Append("ET").ToString();
    }

    internal static string Escape(string text)
    {
        var escaped = new StringBuilder();
        foreach (var c in text)
            escaped.Append(c switch
            {
                '\\' or '(' or ')' => $"\\{c}",
                < ' ' or > '~' => "?",
                _ => c.ToString(),
            });
        return escaped.ToString();
    }

    internal static string PdfDate(DateTimeOffset time)
    {
        var offset = time.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        return string.Create(CultureInfo.InvariantCulture, $"D:{time:yyyyMMddHHmmss}{sign}{Math.Abs(offset.Hours):D2}'{Math.Abs(offset.Minutes):D2}'");
    }

    private static void Write(Stream output, string text) => output.Write(Latin1.GetBytes(text));

    private static int IndexOf(byte[] haystack, string needle, int start)
    {
        var index = haystack.AsSpan(start).IndexOf(Latin1.GetBytes(needle));
        return index < 0 ? throw new InvalidOperationException($"'{needle.Trim()}' not found in the PDF.") : start + index;
    }

    /// <summary>New and rewritten objects, then an xref section chained to the previous one with /Prev.</summary>
    private sealed class IncrementalUpdate(PdfState document, long baseLength)
    {
        private readonly MemoryStream _body = new();
        private readonly SortedDictionary<int, long> _offsets = [];

        public void Add(int number, string dictionary)
        {
            _offsets[number] = baseLength + _body.Position;
            Write(_body, $"{number} 0 obj\n{dictionary}\nendobj\n");
        }

        public long OffsetOf(int number) => _offsets[number];

        public byte[] Finish(int size, int info)
        {
            var xref = baseLength + _body.Position;
            var table = new StringBuilder("xref\n");
            foreach (var (number, offset) in _offsets)
                table.Append(CultureInfo.InvariantCulture, $"{number} 1\n{offset:D10} 00000 n \n");
            table.Append(CultureInfo.InvariantCulture,
                $"trailer\n<< /Size {size} /Root {document.Root} 0 R /Info {info} 0 R /Prev {document.StartXref}{document.Id} >>\nstartxref\n{xref}\n%%EOF\n");
            Write(_body, table.ToString());
            return [.. document.Bytes, .. _body.ToArray()];
        }
    }

    /// <summary>The current state of a file written by this class: trailer values and the latest catalog and page 1.</summary>
    private sealed partial record PdfState(byte[] Bytes, int Size, int Root, int Info, long StartXref, string Id, int FirstPage,
        string Catalog, string FirstPageDictionary, IReadOnlyList<int> FieldRefs)
    {
        public static PdfState Read(byte[] pdf)
        {
            var text = Latin1.GetString(pdf);
            var startXref = long.Parse(StartXrefPattern().Matches(text)[^1].Groups[1].Value, CultureInfo.InvariantCulture);
            var trailer = text[text.LastIndexOf("trailer", StringComparison.Ordinal)..];
            int Ref(string source, string key) =>
                int.Parse(Regex.Match(source, $@"/{key}\s+(\d+)\s+0\s+R").Groups[1].Value, CultureInfo.InvariantCulture);

            var root = Ref(trailer, "Root");
            var catalog = LatestObject(text, root);
            var pages = LatestObject(text, Ref(catalog, "Pages"));
            var firstPage = int.Parse(KidsPattern().Match(pages).Groups[1].Value, CultureInfo.InvariantCulture);
            var fields = FieldsPattern().Match(catalog) is { Success: true } match
                ? ReferencePattern().Matches(match.Groups[1].Value).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList()
                : [];
            var id = IdPattern().Match(trailer) is { Success: true } idMatch ? " " + idMatch.Value : "";
            return new PdfState(pdf, int.Parse(SizePattern().Match(trailer).Groups[1].Value, CultureInfo.InvariantCulture), root,
                Ref(trailer, "Info"), startXref, id, firstPage, catalog, LatestObject(text, firstPage), fields);
        }

        public string CatalogWithFields(IEnumerable<int> fields)
        {
            var withoutForm = AcroFormPattern().Replace(Catalog, "");
            return InsertBeforeEnd(withoutForm, $" /AcroForm << /Fields [{string.Join(' ', fields.Select(f => $"{f} 0 R"))}] /SigFlags 3 >>");
        }

        public string FirstPageWithAnnotation(int annotation)
        {
            var annots = AnnotsPattern().Match(FirstPageDictionary);
            return annots.Success
                ? FirstPageDictionary.Insert(annots.Groups[1].Index + annots.Groups[1].Length, $" {annotation} 0 R")
                : InsertBeforeEnd(FirstPageDictionary, $" /Annots [{annotation} 0 R]");
        }

        private static string InsertBeforeEnd(string dictionary, string entries)
        {
            var end = dictionary.LastIndexOf(">>", StringComparison.Ordinal);
            return $"{dictionary[..end].TrimEnd()}{entries} {dictionary[end..]}";
        }

        // Incremental updates append, so the last definition of an object number is the current one.
        private static string LatestObject(string text, int number)
        {
            var start = Regex.Matches(text, $@"(?<![0-9]){number} 0 obj\s*")[^1];
            var bodyStart = start.Index + start.Length;
            return text[bodyStart..text.IndexOf("endobj", bodyStart, StringComparison.Ordinal)].TrimEnd();
        }

        [GeneratedRegex(@"startxref\s+(\d+)")] private static partial Regex StartXrefPattern();
        [GeneratedRegex(@"/Size\s+(\d+)")] private static partial Regex SizePattern();
        [GeneratedRegex(@"/Kids\s*\[\s*(\d+)\s+0\s+R")] private static partial Regex KidsPattern();
        [GeneratedRegex(@"/Fields\s*\[([^\]]*)\]")] private static partial Regex FieldsPattern();
        [GeneratedRegex(@"(\d+)\s+0\s+R")] private static partial Regex ReferencePattern();
        [GeneratedRegex(@"/ID\s*\[[^\]]*\]")] private static partial Regex IdPattern();
        [GeneratedRegex(@"\s*/AcroForm\s*<<[^>]*>>")] private static partial Regex AcroFormPattern();
        [GeneratedRegex(@"/Annots\s*\[([^\]]*)")] private static partial Regex AnnotsPattern();
    }
}
