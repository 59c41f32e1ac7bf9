using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Documents.Signatures;
using MotCua.FunctionApp.Dossiers;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>
/// The last step of the document pipeline for a file of an incoming document: the document learns
/// its file was checked, and the worst signature verdict of its files. The row lists the files
/// recorded, in the same batch, so a second delivery records nothing.
/// </summary>
public sealed class IncomingFileOutcomes(IncomingStore store, Storage.MotCuaTables tables)
{
    public const string Action = "file-checked";

    public static bool Owns(string ownerId) => IncomingDocumentId.TryParse(ownerId, out _);

    public async Task RecordAsync(DocumentEntity file, CancellationToken cancellationToken)
    {
        if (!IncomingDocumentId.TryParse(file.DossierCode, out var id)) throw new ArgumentException($"{file.DossierCode} is not an incoming document.", nameof(file));
        // The file rows are written before the document's batch: a retry finds it, or the refused arrival removed both.
        var d = await store.FindAsync(id.Value, cancellationToken) ?? throw new InvalidOperationException($"Incoming document {id} has no row yet.");
        if (IncomingLists.Split(d.FilesRecorded).Contains(file.RowKey)) return;
        // A paper scan's first readable first page suggests what the records clerk confirms at registration.
        var suggestion = d.Channel == "paper" && d.Suggestion is null && file.FailureCode is null
            ? await FirstPageSuggestions.ReadAsync(tables.Pages, file.RowKey, cancellationToken) : null;
        await store.ApplyAsync(d, expectedVersion: null, (doc, _) =>
        {
            doc.FilesRecorded = IncomingLists.Join([.. IncomingLists.Split(doc.FilesRecorded), file.RowKey]);
            doc.FilesChecked = IncomingLists.Split(doc.FilesRecorded).Count;
            if (suggestion is not null && doc.Suggestion is null)
                doc.Suggestion = System.Text.Json.JsonSerializer.Serialize(FirstPageSuggestions.Fields(suggestion), System.Text.Json.JsonSerializerOptions.Web);
            doc.SignatureVerdict = Worst(doc.SignatureVerdict, file.SignatureVerdict ?? (file.FailureCode is null ? null : "unreadable"));
            var verdict = SignatureVerdicts.FromSlug(file.SignatureVerdict).Vietnamese();
            var comment = file.FailureCode is null ? $"Đã kiểm tra tệp «{file.FileName}»: {verdict}." : $"Không xử lý được tệp «{file.FileName}».";
            return ValueTask.FromResult(new IncomingChange(doc.State, Action, comment,
                new { file = file.RowKey, verdict = file.SignatureVerdict, pages = file.PageCount, failure = file.FailureCode }));
        }, "he-thong", cancellationToken);
    }

    /// <summary>Valid only when every file is; otherwise the first verdict that is not.</summary>
    private static string? Worst(string? sofar, string? next) =>
        sofar is null ? next : next is null || next == SignatureVerdict.Valid.Slug() ? sofar : sofar == SignatureVerdict.Valid.Slug() ? next : sofar;
}
