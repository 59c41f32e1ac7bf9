namespace MotCua.FunctionApp.Dossiers;

/// <summary>
/// The domain event every recorded change of a dossier emits, written with the change itself
/// (outbox). Notifications, work lists and other steps consume it; <see cref="Sequence"/> orders
/// a dossier's events, so a consumer can ignore a stale or repeated one. <see cref="Comment"/> is the
/// history entry's comment: the reason of a refusal, a supplement request, a send-back or a stop.
/// </summary>
public sealed record DossierEvent(
    string Code,
    int Sequence,
    string Action,
    int From,
    int To,
    string Actor,
    DateTimeOffset At,
    string ProcedureCode,
    string ProcedureName,
    string ReceivingUnit,
    string HolderUnit,
    string? PreviousHolderUnit,
    int Step,
    string? StepName,
    string? StepRole,
    string OwnerId,
    string ApplicantName,
    DateTimeOffset? DueAt,
    DateTimeOffset? StepDueAt,
    int? PreviousStep = null,
    string? Comment = null)
{
    public const string Subject = "dossier-changed";
}
