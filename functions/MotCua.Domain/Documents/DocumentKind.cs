namespace MotCua.Domain.Documents;

/// <summary>The kinds of file a dossier accepts, judged from the bytes, never from the name.</summary>
public enum DocumentKind
{
    Pdf,
    Png,
    Jpeg,
    Tiff,

    /// <summary>A CMS/PKCS #7 signature (<c>.p7s</c>), detached from the document it signs or enveloping it.</summary>
    Signature,

    /// <summary>Office Open XML word processing (Word).</summary>
    Docx,

    /// <summary>Office Open XML spreadsheet (Excel).</summary>
    Xlsx,

    /// <summary>Office Open XML presentation (PowerPoint).</summary>
    Pptx,

    /// <summary>OpenDocument text.</summary>
    Odt,

    /// <summary>OpenDocument spreadsheet.</summary>
    Ods,

    /// <summary>A ZIP archive of no office kind.</summary>
    Zip,
}

public static class DocumentKinds
{
    /// <summary>Bytes enough to recognise every kind but some office files, whose names may come only at the end (<see cref="SniffWhole"/>).</summary>
    public const int SniffLength = ZipContainer.SniffLength;

    public static DocumentKind? Sniff(ReadOnlySpan<byte> head)
    {
        if (PdfHeader.IsPdf(head)) return DocumentKind.Pdf;
        if (ZipContainer.IsZip(head)) return ZipContainer.Classify(head);
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return DocumentKind.Png;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return DocumentKind.Jpeg;
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8)) return DocumentKind.Tiff;
        if (IsCms(head)) return DocumentKind.Signature;
        return null;
    }

    /// <summary>
    /// The kind of a file seen whole: its first bytes (up to <see cref="SniffLength"/>), its last (up to
    /// <see cref="ZipContainer.TailLength"/>) and its length. An office file's names may lie only in its
    /// central directory at the end, which <see cref="Sniff"/> does not see.
    /// </summary>
    public static DocumentKind? SniffWhole(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, long length) =>
        ZipContainer.IsZip(head) ? ZipContainer.ClassifyWhole(head, tail, length) : Sniff(head);

    public static string ContentType(this DocumentKind kind) => kind switch
    {
        DocumentKind.Pdf => "application/pdf",
        DocumentKind.Png => "image/png",
        DocumentKind.Jpeg => "image/jpeg",
        DocumentKind.Tiff => "image/tiff",
        DocumentKind.Signature => "application/pkcs7-signature",
        DocumentKind.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        DocumentKind.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        DocumentKind.Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        DocumentKind.Odt => "application/vnd.oasis.opendocument.text",
        DocumentKind.Ods => "application/vnd.oasis.opendocument.spreadsheet",
        DocumentKind.Zip => "application/zip",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Slug(this DocumentKind kind) => kind.ToString().ToLowerInvariant();

    public static bool IsImage(this DocumentKind kind) => kind is DocumentKind.Png or DocumentKind.Jpeg or DocumentKind.Tiff;

    /// <summary>Office files and plain archives: ZIP containers whose entries are read with caps, never trusted.</summary>
    public static bool IsZipContainer(this DocumentKind kind) => kind is DocumentKind.Docx or DocumentKind.Xlsx or DocumentKind.Pptx
        or DocumentKind.Odt or DocumentKind.Ods or DocumentKind.Zip;

    /// <summary>The kind a slug names (<see cref="Slug"/>), or null.</summary>
    public static DocumentKind? FromSlug(string slug) =>
        Enum.GetValues<DocumentKind>().Cast<DocumentKind?>().FirstOrDefault(k => k!.Value.Slug() == slug);

    /// <summary>
    /// Whether the name's extension agrees with the content. A name without a known extension is
    /// accepted; a name that claims another known kind is not (a PNG called "to-khai.pdf").
    /// </summary>
    public static bool ExtensionAgrees(string fileName, DocumentKind kind)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        DocumentKind? claimed = extension switch
        {
            ".pdf" => DocumentKind.Pdf,
            ".png" => DocumentKind.Png,
            ".jpg" or ".jpeg" => DocumentKind.Jpeg,
            ".tif" or ".tiff" => DocumentKind.Tiff,
            ".p7s" or ".p7m" or ".p7b" => DocumentKind.Signature,
            ".docx" => DocumentKind.Docx,
            ".xlsx" => DocumentKind.Xlsx,
            ".pptx" => DocumentKind.Pptx,
            ".odt" => DocumentKind.Odt,
            ".ods" => DocumentKind.Ods,
            ".zip" => DocumentKind.Zip,
            _ => null,
        };
        // Every office file is a ZIP archive, so a ".zip" name fits one.
        return claimed is null || claimed == kind || (claimed == DocumentKind.Zip && kind.IsZipContainer());
    }

    /// <summary>
    /// DER SEQUENCE holding the SignedData content-type OID 1.2.840.113549.1.7.2, or the PEM
    /// armour some tools write.
    /// </summary>
    private static bool IsCms(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("-----BEGIN PKCS7-----"u8) || head.StartsWith("-----BEGIN CMS-----"u8)) return true;
        ReadOnlySpan<byte> signedDataOid = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];
        if (head.Length < 2 || head[0] != 0x30) return false;
        var window = head[..Math.Min(head.Length, 16)];
        return window.IndexOf(signedDataOid) is > 1 and <= 5;
    }
}
