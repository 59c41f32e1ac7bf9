using System.Buffers.Binary;
using System.Text;
using MotCua.Domain.Documents;
using Xunit;

namespace MotCua.Domain.Tests;

public class DocumentBytesTests
{
    [Theory]
    [InlineData("%PDF-1.7\n", DocumentKind.Pdf)]
    [InlineData("II*\0....", DocumentKind.Tiff)]
    [InlineData("MM\0*....", DocumentKind.Tiff)]
    [InlineData("-----BEGIN PKCS7-----", DocumentKind.Signature)]
    public void Kinds_are_sniffed_from_text_headers(string head, DocumentKind expected) =>
        Assert.Equal(expected, DocumentKinds.Sniff(Encoding.Latin1.GetBytes(head)));

    [Fact]
    public void Binary_headers_are_recognised_and_junk_is_not()
    {
        Assert.Equal(DocumentKind.Png, DocumentKinds.Sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]));
        Assert.Equal(DocumentKind.Jpeg, DocumentKinds.Sniff([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]));
        Assert.Equal(DocumentKind.Signature, DocumentKinds.Sniff([0x30, 0x82, 0x05, 0x10, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02, 0xA0]));
        Assert.Null(DocumentKinds.Sniff("MZ\x90\0 an executable"u8));
        Assert.Null(DocumentKinds.Sniff([0x30, 0x82, 0x05, 0x10, 0x06, 0x03, 0x55, 0x04, 0x03]));
        Assert.Null(DocumentKinds.Sniff([]));
    }

    [Theory]
    [InlineData("to-khai.pdf", DocumentKind.Pdf, true)]
    [InlineData("to-khai.PDF", DocumentKind.Pdf, true)]
    [InlineData("to-khai.pdf", DocumentKind.Png, false)]
    [InlineData("anh.jpg", DocumentKind.Jpeg, true)]
    [InlineData("to-khai.pdf.p7s", DocumentKind.Signature, true)]
    [InlineData("scan", DocumentKind.Tiff, true)]
    [InlineData("to-khai.docx", DocumentKind.Docx, true)]
    [InlineData("to-khai.docx", DocumentKind.Pdf, false)]
    [InlineData("to-khai.docx", DocumentKind.Zip, false)]
    [InlineData("bang-ke.xlsx", DocumentKind.Docx, false)]
    [InlineData("ho-so.zip", DocumentKind.Docx, true)]
    public void Extensions_must_not_claim_another_kind(string name, DocumentKind kind, bool agrees) =>
        Assert.Equal(agrees, DocumentKinds.ExtensionAgrees(name, kind));

    private static byte[] Archive(params (string Name, string Text, bool Stored)[] entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text, stored) in entries)
            {
                var entry = archive.CreateEntry(name, stored ? System.IO.Compression.CompressionLevel.NoCompression : System.IO.Compression.CompressionLevel.Optimal);
                using var writer = entry.Open();
                writer.Write(Encoding.ASCII.GetBytes(text));
            }
        }
        return stream.ToArray();
    }

    [Theory]
    [InlineData("word/document.xml", DocumentKind.Docx)]
    [InlineData("xl/workbook.xml", DocumentKind.Xlsx)]
    [InlineData("ppt/presentation.xml", DocumentKind.Pptx)]
    public void Office_open_xml_kinds_come_from_their_entry_names(string part, DocumentKind expected)
    {
        var file = Archive(("[Content_Types].xml", "<Types/>", false), ("_rels/.rels", "<Relationships/>", false), (part, "<x/>", false));
        Assert.Equal(expected, DocumentKinds.Sniff(file));
        Assert.Equal(3, ZipDirectoryEnd.Read(new MemoryStream(file))!.Entries);
    }

    [Fact]
    public void Open_document_kinds_come_from_the_stored_mimetype_entry_and_other_archives_are_plain_zips()
    {
        Assert.Equal(DocumentKind.Odt, DocumentKinds.Sniff(Archive(("mimetype", "application/vnd.oasis.opendocument.text", true), ("content.xml", "<x/>", false))));
        Assert.Equal(DocumentKind.Ods, DocumentKinds.Sniff(Archive(("mimetype", "application/vnd.oasis.opendocument.spreadsheet", true))));
        // A Word part without the package's content types, or a mimetype that is not first: a plain archive.
        Assert.Equal(DocumentKind.Zip, DocumentKinds.Sniff(Archive(("word/document.xml", "<x/>", false))));
        Assert.Equal(DocumentKind.Zip, DocumentKinds.Sniff(Archive(("a.txt", "a", false), ("mimetype", "application/vnd.oasis.opendocument.text", true))));
        Assert.Null(ZipDirectoryEnd.Read(new MemoryStream("PK\x03\x04 cut short"u8.ToArray())));
    }

    [Fact]
    public void An_office_file_whose_content_types_come_past_the_first_bytes_is_known_by_its_central_directory()
    {
        // As System.IO.Packaging writes: the parts first, [Content_Types].xml last, here past the sniffed bytes.
        var random = new Random(7);
        var media = string.Concat(Enumerable.Range(0, 100_000).Select(_ => (char)random.Next('!', '~')));
        var file = Archive(("word/document.xml", "<x/>", false), ("word/media/anh.txt", media, true), ("[Content_Types].xml", "<Types/>", false));
        Assert.True(file.Length > DocumentKinds.SniffLength + 1000);

        Assert.Equal(DocumentKind.Zip, DocumentKinds.Sniff(file.AsSpan(0, DocumentKinds.SniffLength)));
        Assert.Equal(DocumentKind.Docx, DocumentKinds.SniffWhole(file.AsSpan(0, DocumentKinds.SniffLength), file, file.Length));
        // Only the last bytes are needed: the tail that holds the directory.
        Assert.Equal(DocumentKind.Docx, DocumentKinds.SniffWhole(file.AsSpan(0, DocumentKinds.SniffLength), file.AsSpan(file.Length - 4096), file.Length));
        // A tail that does not reach back to the directory leaves the first answer; a plain archive stays one.
        Assert.Equal(DocumentKind.Zip, DocumentKinds.SniffWhole(file.AsSpan(0, DocumentKinds.SniffLength), file.AsSpan(file.Length - 30), file.Length));
        var plain = Archive(("a.txt", media, true), ("b.txt", "b", false));
        Assert.Equal(DocumentKind.Zip, DocumentKinds.SniffWhole(plain.AsSpan(0, DocumentKinds.SniffLength), plain, plain.Length));
    }

    [Fact]
    public void Png_size_is_read_from_the_header_even_when_absurd()
    {
        var png = new byte[33];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 }.CopyTo(png, 0);
        "IHDR"u8.CopyTo(png.AsSpan(12));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), 100_000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), 70_000);
        Assert.Equal((100_000, 70_000), ImageHeader.TryReadSize(new MemoryStream(png), DocumentKind.Png));
        Assert.Null(ImageHeader.TryReadSize(new MemoryStream(png[..20]), DocumentKind.Png));
    }

    [Fact]
    public void Jpeg_size_comes_from_the_first_frame_after_other_segments()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0xAA, 0xBB, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x0B, 0xB8, 0x07, 0xD0, 0x03];
        Assert.Equal((2000, 3000), ImageHeader.TryReadSize(new MemoryStream(jpeg), DocumentKind.Jpeg));
    }

    [Fact]
    public void Tiff_size_is_the_largest_page_and_a_directory_loop_ends()
    {
        var tiff = new byte[8 + 2 + 24 + 4];
        "II*\0"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(8), 2);
        WriteEntry(tiff.AsSpan(10), 256, 4, 1240);
        WriteEntry(tiff.AsSpan(22), 257, 3, 1754);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(34), 8); // points back at itself
        Assert.Equal((1240, 1754), ImageHeader.TryReadSize(new MemoryStream(tiff), DocumentKind.Tiff));

        static void WriteEntry(Span<byte> at, ushort tag, ushort type, uint value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(at, tag);
            BinaryPrimitives.WriteUInt16LittleEndian(at[2..], type);
            BinaryPrimitives.WriteUInt32LittleEndian(at[4..], 1);
            if (type == 3) BinaryPrimitives.WriteUInt16LittleEndian(at[8..], (ushort)value);
            else BinaryPrimitives.WriteUInt32LittleEndian(at[8..], value);
        }
    }
}
