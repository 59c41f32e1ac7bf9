using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Forms;

namespace MotCua.FunctionApp.Correspondence.Registers;

/// <summary>Prints a register as a PDF table over as many A4 landscape pages as its rows need.</summary>
public sealed class RegisterPdf(IOptions<FormOptions> options)
{
    private readonly Lazy<FormFonts> _fonts = new(() => FormFonts.Load(options.Value.FontDirectory));

    /// <summary>
    /// Lays the rows out as they come and writes the PDF to <paramref name="output"/>. The pages are
    /// numbered "Trang N/M", so nothing is written to the output before the last row has been read:
    /// the document is built in a temporary file (PdfPig needs a stream that reports its position)
    /// and copied to the output at the end. PdfPig holds each page's drawing until the document is
    /// complete, so memory grows with the row count (the rows themselves are not kept).
    /// </summary>
    /// <param name="agencyName">The agency keeping the register, printed at the top of the first page.</param>
    /// <param name="period">The year or period printed under the title, for example "Năm 2026".</param>
    /// <param name="rows">One list of cells per entry, in the order of <see cref="RegisterLayout.Columns"/>.</param>
    /// <exception cref="ArgumentException">A row does not have one cell per column.</exception>
    public async Task WriteAsync(Stream output, RegisterLayout layout, string agencyName, string? period,
        IAsyncEnumerable<IReadOnlyList<string>> rows, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        var table = new PdfTableWriter(file, _fonts.Value, agencyName, layout.Title, period, layout.Columns);
        await foreach (var row in rows.WithCancellation(cancellationToken)) table.Row(row);
        table.Complete();
        file.Position = 0;
        await file.CopyToAsync(output, cancellationToken);
    }
}
