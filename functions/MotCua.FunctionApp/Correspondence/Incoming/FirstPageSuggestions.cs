using Azure.Data.Tables;
using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Documents.Text;
using MotCua.FunctionApp.Dossiers;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>
/// What the scan of a paper document suggests for its registration, from the first page of one of
/// its files as the document pipeline read it: the PDF's text layer, or OCR for a scan or an image.
/// Nothing is suggested from a page not read yet, one that could not be read, or an empty one.
/// </summary>
public static class FirstPageSuggestions
{
    /// <summary>From the pages table, once the file's text is read (its row has reached <see cref="Documents.DocumentStages.TextRead"/>).</summary>
    public static async Task<LetterSuggestion?> ReadAsync(TableClient pages, string documentId, CancellationToken cancellationToken)
    {
        var row = await pages.GetEntityIfExistsAsync<PageEntity>(documentId, PageEntity.Key(1), cancellationToken: cancellationToken);
        return row.HasValue ? From(row.Value!.Number, row.Value.Text, row.Value.Error) : null;
    }

    /// <summary>From what <see cref="DocumentTextReader"/> returns for a file.</summary>
    public static LetterSuggestion? From(DocumentText text) =>
        text.Pages.FirstOrDefault(p => p.Number == 1) is { } page ? From(page.Number, page.Text, page.Error) : null;

    /// <summary>The fields an incoming document keeps as its suggestion; the issuer is the sender.</summary>
    public static LetterFields Fields(LetterSuggestion suggestion) => new(suggestion.Number, suggestion.Notation, suggestion.DocumentDate,
        suggestion.IssuingAgency, suggestion.DocumentType, suggestion.Summary, suggestion.Priority, suggestion.SecretMarked);

    private static LetterSuggestion? From(int number, string text, string? error) =>
        number == 1 && error is null && !string.IsNullOrWhiteSpace(text) ? LetterSuggestions.FromFirstPage(text) : null;
}
