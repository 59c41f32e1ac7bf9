using System.Text.Json;
using MotCua.Domain.Dossiers;
using MotCua.Domain.History;

namespace MotCua.FunctionApp.Dossiers;

/// <summary>What the applicant keeps: the code and the PIN that, together, open the public lookup.</summary>
public sealed record SubmittedDossier(string Code, string LookupPin, StatusView Status, int DocumentCount, DateTimeOffset SubmittedAt);

public sealed record StatusView(int Code, string Name, string NameEn)
{
    public static StatusView Of(DossierStatus status) => new((int)status, status.Vietnamese(), status.English());
}

public sealed record ApplicantView(string FullName, string IdNumber, string? Phone, string? Email, string? Address);

public sealed record DocumentView(string Id, string FileName, string ContentType, long Length, string Sha256, DateTimeOffset UploadedAt, DateTimeOffset? StoredAt,
    string Kind, int? Component, string Stage, string? Failure, string? FailureDetail, string? SignatureVerdict, string? SignatureVerdictText,
    [property: System.ComponentModel.Description("Why the document as a whole has its signature verdict when no listed signature explains it: a damaged or truncated file, "
        + "or a detached signature whose signed content was not provided.")]
    string? SignatureReason,
    IReadOnlyList<Documents.Signatures.SignatureReport> Signatures, string? SignsDocumentId, int? Pages, int? TextLayerPages, int? OcrPages, int? FailedPages, double? OcrConfidence)
{
    /// <summary>The dossier's list of recorded outcomes is the truth for the last stage: the row is marked just after it.</summary>
    public static DocumentView Of(DocumentEntity x, DossierEntity dossier) => new(x.RowKey, x.FileName, x.ContentType, x.Length, x.Sha256, x.UploadedAt, x.StoredAt,
        x.Kind, x.Component,
        dossier.DocumentsRecorded.Split(' ').Contains(x.RowKey) ? MotCua.FunctionApp.Documents.DocumentStages.Recorded : x.Stage, x.FailureCode, x.FailureDetail, x.SignatureVerdict,
        x.SignatureVerdict is null ? null : Documents.Signatures.SignatureVerdicts.Vietnamese(Documents.Signatures.SignatureVerdicts.FromSlug(x.SignatureVerdict)),
        x.SignatureReason,
        x.Signatures is null ? [] : JsonSerializer.Deserialize<List<Documents.Signatures.SignatureReport>>(x.Signatures, JsonSerializerOptions.Web) ?? [],
        x.SignsDocumentId, x.PageCount, x.TextLayerPages, x.OcrPages, x.FailedPages, x.OcrConfidence);
}

/// <summary>The dossier's documents as checked so far: how many are recorded, failed, and which components lack a required valid signature.</summary>
public sealed record DocumentChecksView(int Documents, int Recorded, int Failed, IReadOnlyList<int> UnsignedComponents)
{
    public static DocumentChecksView Of(DossierEntity d) => new(d.DocumentCount,
        d.DocumentsRecorded.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, d.DocumentsFailed,
        d.UnsignedComponents is null ? [] : JsonSerializer.Deserialize<List<int>>(d.UnsignedComponents) ?? []);
}

public sealed record HistoryView(int Sequence, DateTimeOffset At, string Actor, string Action, StatusView From, StatusView To, string Comment, JsonElement? Details, string Hash);

/// <summary>Where the dossier is in its procedure's workflow, and how its deadlines stand.</summary>
public sealed record ProgressView(
    int Step,
    string? StepName,
    string? StepRole,
    string HolderUnit,
    DateTimeOffset? DueAt,
    DateTimeOffset? StepDueAt,
    string? TimeLeft,
    string? TimeLeftEn,
    string? Timeliness,
    IReadOnlyList<string> AllowedActions);

public sealed record DossierView(
    string Code,
    int Version,
    string ProcedureCode,
    int ProcedureVersion,
    string ProcedureName,
    string ReceivingUnit,
    string Channel,
    StatusView Status,
    DateTimeOffset SubmittedAt,
    DateTimeOffset UpdatedAt,
    string LookupPin,
    ApplicantView Applicant,
    ProgressView Progress,
    IReadOnlyList<DocumentView> Documents,
    DocumentChecksView DocumentChecks,
    IReadOnlyList<HistoryView> History)
{
    public static DossierView Of(DossierEntity d, ProgressView progress, IEnumerable<DocumentEntity> documents, IEnumerable<HistoryEntry> history) => new(
        d.PartitionKey, d.HistoryCount, d.ProcedureCode, d.ProcedureVersion, d.ProcedureName, d.ReceivingUnit, d.Channel, StatusView.Of((DossierStatus)d.Status),
        d.SubmittedAt, d.UpdatedAt, d.LookupPin,
        new ApplicantView(d.ApplicantName, d.ApplicantIdNumber, d.ApplicantPhone, d.ApplicantEmail, d.ApplicantAddress),
        progress,
        [.. documents.Where(x => x.Stage != MotCua.FunctionApp.Documents.DocumentStages.AwaitingUpload).Select(x => DocumentView.Of(x, d))],
        DocumentChecksView.Of(d),
        [.. history.OrderBy(h => h.Sequence).Select(h => new HistoryView(h.Sequence, h.At, h.Actor, h.Action,
            StatusView.Of(h.From), StatusView.Of(h.To), h.Comment, h.Details.Length == 0 ? null : JsonElement.Parse(h.Details), h.Hash))]);
}
