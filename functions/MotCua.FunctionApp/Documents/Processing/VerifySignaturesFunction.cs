using System.Text.Json;
using Azure.Data.Tables;
using MotCua.Domain.Documents;
using MotCua.FunctionApp.Documents.Signatures;
using MotCua.FunctionApp.Documents.Text;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;

namespace MotCua.FunctionApp.Documents.Processing;

/// <summary>
/// First step: every signature of the document is verified (a PDF's own, or a detached
/// <c>.p7s</c> against the dossier document it signs). A file whose name claims another kind stops here.
/// </summary>
public sealed class VerifySignaturesFunction(DocumentSteps steps, DocumentSignatureVerifier verifier, TimeProvider time, ILogger<VerifySignaturesFunction> logger) : IQueueHandler<DocumentStepMessage>
{
    private static readonly TimeSpan SignedDocumentWait = TimeSpan.FromSeconds(30);

    public static readonly FunctionDeclaration Declaration = new("VerifyDocumentSignatures", new QueueTrigger(DocumentQueues.Signatures));

    public async Task HandleAsync(QueueMessage<DocumentStepMessage> message, CancellationToken cancellationToken)
    {
        var document = await steps.ReadAsync(message, cancellationToken);
        if (document is null || !DocumentStages.Reached(document.Stage, DocumentStages.Stored))
        {
            // Gone, or not yet here: whatever brings the document to this step sends its message again.
            DocumentLog.NotAtStep(logger, Declaration.Name, message.Body.DocumentId);
            return;
        }

        if (!DocumentStages.Reached(document.Stage, DocumentStages.SignaturesChecked))
        {
            var kind = DocumentKindOf(document);
            if (!DocumentKinds.ExtensionAgrees(document.FileName, kind))
            {
                document.FailureCode = TextFailures.ExtensionMismatch;
                document.FailureDetail = $"The name '{document.FileName}' does not fit its {kind.Slug().ToUpperInvariant()} content.";
            }
            else
            {
                try
                {
                    var result = await VerifyAsync(document, kind, cancellationToken);
                    document.SignatureVerdict = result.Verdict.Slug();
                    document.SignatureReason = result.Reason;
                    document.Signatures = JsonSerializer.Serialize(result.Signatures, JsonSerializerOptions.Web);
                    DocumentLog.SignaturesChecked(logger, document.DossierCode, document.RowKey, document.SignatureVerdict, result.Signatures.Count);
                }
                catch (DocumentReplacedException e)
                {
                    document.FailureCode = TextFailures.Replaced;
                    document.FailureDetail = e.Message;
                }
                catch (SignedDocumentPendingException)
                {
                    // The document it signs is still on its way (a direct upload not yet confirmed): look again later.
                    await steps.SendAsync(DocumentQueues.Signatures, document, message.TraceParent, cancellationToken, time.GetUtcNow() + SignedDocumentWait);
                    return;
                }
            }
            document.Stage = DocumentStages.SignaturesChecked;
            await steps.SaveAsync(document, cancellationToken);
        }

        // A failed document still goes through every step: the dossier's own words are indexed and the outcome recorded.
        await steps.SendAsync(DocumentQueues.Text, document, message.TraceParent, cancellationToken);
    }

    private async Task<DocumentSignatures> VerifyAsync(DocumentEntity document, DocumentKind kind, CancellationToken cancellationToken)
    {
        using var folder = DocumentSteps.NewWorkFolder();
        switch (kind)
        {
            case DocumentKind.Pdf:
                return await verifier.VerifyPdfAsync(await steps.DownloadAsync(document, folder.Path, cancellationToken), cancellationToken);
            case DocumentKind.Signature:
                var (signed, pending) = await SignedDocumentAsync(document, cancellationToken);
                if (signed is null && pending) throw new SignedDocumentPendingException();
                if (signed is not null)
                {
                    document.SignsDocumentId = signed.RowKey;
                    document.Component ??= signed.Component;
                }
                var signaturePath = await steps.DownloadAsync(document, folder.Path, cancellationToken);
                var signedPath = signed is null ? null : await steps.DownloadAsync(signed, folder.Path, cancellationToken);
                return await verifier.VerifyDetachedAsync(signaturePath, signedPath, cancellationToken);
            default:
                return DocumentSignatures.Unsigned;
        }
    }

    /// <summary>
    /// The document a detached signature signs: the one named like it without ".p7s"
    /// ("to-khai.pdf.p7s" signs "to-khai.pdf"), else the only other document of its component.
    /// </summary>
    /// <param name="Pending">Whether a direct upload of the dossier is still open and could be the signed document.</param>
    private async Task<(DocumentEntity? Signed, bool Pending)> SignedDocumentAsync(DocumentEntity signature, CancellationToken cancellationToken)
    {
        var others = new List<DocumentEntity>();
        var pending = false;
        await foreach (var d in steps.Tables.Documents.QueryAsync<DocumentEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {signature.PartitionKey}"), cancellationToken: cancellationToken))
        {
            if (d.RowKey == signature.RowKey || d.Kind == DocumentKind.Signature.Slug()) continue;
            if (DocumentStages.Reached(d.Stage, DocumentStages.Stored)) others.Add(d);
            else if (d.UploadExpiresAt > time.GetUtcNow()) pending = true;
        }
        var stem = Path.GetFileNameWithoutExtension(signature.FileName);
        var signed = others.FirstOrDefault(d => string.Equals(d.FileName, stem, StringComparison.OrdinalIgnoreCase))
            ?? (signature.Component is { } component && others.Count(d => d.Component == component) == 1 ? others.Single(d => d.Component == component) : null);
        return (signed, pending);
    }

    public static DocumentKind DocumentKindOf(DocumentEntity document) =>
        Enum.GetValues<DocumentKind>().FirstOrDefault(k => k.Slug() == document.Kind, DocumentKind.Pdf);
}

internal sealed class SignedDocumentPendingException() : Exception("The signed document is not stored yet.");

internal static partial class DocumentLog
{
    [LoggerMessage(1, LogLevel.Information, "Dossier {DossierCode} document {DocumentId}: signatures {Verdict} ({Count} found)")]
    public static partial void SignaturesChecked(ILogger logger, string dossierCode, string documentId, string verdict, int count);

    [LoggerMessage(2, LogLevel.Information, "Dossier {DossierCode} document {DocumentId}: {Pages} pages read, {OcrPages} by OCR, failure {Failure}")]
    public static partial void TextRead(ILogger logger, string dossierCode, string documentId, int pages, int ocrPages, string? failure);

    [LoggerMessage(3, LogLevel.Information, "Dossier {DossierCode} document {DocumentId}: {Entries} entries indexed")]
    public static partial void Indexed(ILogger logger, string dossierCode, string documentId, int entries);

    [LoggerMessage(4, LogLevel.Information, "Dossier {DossierCode} document {DocumentId}: outcome {Outcome}")]
    public static partial void OutcomeRecorded(ILogger logger, string dossierCode, string documentId, Dossiers.ChangeOutcome outcome);

    [LoggerMessage(5, LogLevel.Debug, "{Step}: document {DocumentId} is gone or not at this step; nothing to do")]
    public static partial void NotAtStep(ILogger logger, string step, string documentId);
}
