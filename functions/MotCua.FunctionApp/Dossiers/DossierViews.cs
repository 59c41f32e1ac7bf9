using MotCua.Domain.Dossiers;
using MotCua.Domain.History;

namespace MotCua.FunctionApp.Dossiers;

public sealed record SubmittedDossier(string Code, StatusView Status, int DocumentCount, DateTimeOffset SubmittedAt);

public sealed record StatusView(int Code, string Name, string NameEn)
{
    public static StatusView Of(DossierStatus status) => new((int)status, status.Vietnamese(), status.English());
}

public sealed record ApplicantView(string FullName, string IdNumber, string? Phone, string? Email, string? Address);

public sealed record DocumentView(string Id, string FileName, string ContentType, long Length, string Sha256, DateTimeOffset UploadedAt, DateTimeOffset? StoredAt);

public sealed record HistoryView(int Sequence, DateTimeOffset At, string Actor, string Action, StatusView From, StatusView To, string Comment, string Hash);

public sealed record DossierView(
    string Code,
    string ProcedureCode,
    string ProcedureName,
    string ReceivingUnit,
    string Channel,
    StatusView Status,
    DateTimeOffset SubmittedAt,
    DateTimeOffset UpdatedAt,
    ApplicantView Applicant,
    IReadOnlyList<DocumentView> Documents,
    IReadOnlyList<HistoryView> History)
{
    public static DossierView Of(DossierEntity d, IEnumerable<DocumentEntity> documents, IEnumerable<HistoryEntry> history) => new(
        d.PartitionKey, d.ProcedureCode, d.ProcedureName, d.ReceivingUnit, d.Channel, StatusView.Of((DossierStatus)d.Status),
        d.SubmittedAt, d.UpdatedAt,
        new ApplicantView(d.ApplicantName, d.ApplicantIdNumber, d.ApplicantPhone, d.ApplicantEmail, d.ApplicantAddress),
        [.. documents.Select(x => new DocumentView(x.RowKey, x.FileName, x.ContentType, x.Length, x.Sha256, x.UploadedAt, x.StoredAt))],
        [.. history.OrderBy(h => h.Sequence).Select(h => new HistoryView(h.Sequence, h.At, h.Actor, h.Action,
            StatusView.Of(h.From), StatusView.Of(h.To), h.Comment, h.Hash))]);
}
