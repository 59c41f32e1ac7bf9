using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>Word and Excel files written with the Open XML SDK, as an office suite would save them.</summary>
public static class OfficeFiles
{
    /// <param name="imageBytes">An embedded picture of this many random bytes: the SDK writes [Content_Types].xml after it, at the end.</param>
    public static byte[] Docx(IEnumerable<string> paragraphs, int paddingBytes = 0, int imageBytes = 0)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new W.Document(new W.Body(paragraphs.Select(p => new W.Paragraph(new W.Run(new W.Text(p))))));
            if (imageBytes > 0)
            {
                var image = main.AddImagePart(ImagePartType.Png);
                using var writer = image.GetStream(FileMode.Create);
                writer.Write(System.Security.Cryptography.RandomNumberGenerator.GetBytes(imageBytes));
            }
            if (paddingBytes > 0)
            {
                // A part of zeros: a few kilobytes in the archive, megabytes expanded.
                var padding = main.AddNewPart<CustomXmlPart>("application/xml", "padding");
                using var writer = padding.GetStream(FileMode.Create);
                writer.Write(new byte[paddingBytes]);
            }
        }
        return stream.ToArray();
    }

    public static byte[] Xlsx(IEnumerable<IEnumerable<string>> rows)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var strings = workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable();
            var sheet = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            var index = 0;
            foreach (var row in rows)
            {
                var cells = new Row();
                foreach (var value in row)
                {
                    strings.SharedStringTable.AppendChild(new SharedStringItem(new Text(value)));
                    cells.AppendChild(new Cell { DataType = CellValues.SharedString, CellValue = new CellValue(index++) });
                }
                data.AppendChild(cells);
            }
            sheet.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = "Danh sách" }));
        }
        return stream.ToArray();
    }

    /// <summary>A ZIP archive of no office kind.</summary>
    public static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(archive.CreateEntry(name).Open());
                writer.Write(text);
            }
        }
        return stream.ToArray();
    }
}
