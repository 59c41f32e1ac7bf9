using MotCua.Domain.Deadlines;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Text;
using MotCua.Domain.Workflow;
using MotCua.FunctionApp.Approvals;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Calendar;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Outbox;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Dossiers;

/// <summary>
/// The body of an action: a reason, a unit to hand over to, and for a chairman's decision the phone's
/// signature, with, when the dossier has a result to sign, the phone's signature over the prepared result.
/// </summary>
public sealed record ActionForm(string? Comment = null, string? TargetUnit = null, ApprovalSignature? Signature = null,
    Issuance.ResultSignature? ResultSignature = null);

/// <summary>What a step took, kept in history: where the time went when a dossier is late.</summary>
public sealed record StepRecord(int Step, string Name, string Role, string HolderUnit, DateTimeOffset? StartedAt, DateTimeOffset? DueAt, DateTimeOffset LeftAt, bool Late);

public sealed record ActionDetails(string? TargetUnit, StepRecord? LeftStep, DateTimeOffset? DueAt, string? Timeliness, SignatureRecord? Signature);

/// <summary>
/// Takes an official's or citizen's action on a dossier: the workflow decides, a chairman's decision
/// must carry a valid phone signature, and the change, its history entry and its event are one batch.
/// </summary>
public sealed class DossierActions(
    DossierStore store,
    ProcedureCatalog catalog,
    CalendarStore calendars,
    ApprovalVerifier approvals,
    Issuance.ResultStore results,
    Issuance.ResultSigning resultSigning,
    OutboxDispatcher outbox,
    TimeProvider time,
    ILogger<DossierActions> logger)
{
    public async Task<DossierEntity> TakeAsync(string code, int expectedVersion, CurrentUser user, DossierAction action, ActionForm form, CancellationToken cancellationToken)
    {
        if (form.Comment is { Length: > 2000 }) throw BadRequest("comment", "Lý do tối đa 2000 ký tự.", "A comment has at most 2000 characters.");
        FieldError[] unsafeText = [.. new[] { SafeText.Check("comment", form.Comment, LineBreaks.Allowed), SafeText.Check("targetUnit", form.TargetUnit) }.OfType<FieldError>()];
        if (unsafeText.Length > 0) throw InvalidFields(unsafeText);
        if (form.TargetUnit is { } target && !(await catalog.UnitsAsync(cancellationToken)).ContainsKey(target)) throw UnknownUnit(target);
        var calendar = await calendars.CurrentAsync(cancellationToken);
        var now = time.GetUtcNow();

        async ValueTask<DossierChange?> Decide(DossierEntity d, CancellationToken ct)
        {
            var procedure = await catalog.FindVersionAsync(d.ProcedureCode, d.ProcedureVersion, ct)
                ?? throw new InvalidOperationException($"Procedure {d.ProcedureCode} v{d.ProcedureVersion} is missing.");
            var context = new WorkflowContext(procedure.Workflow, procedure.ProcessingDays, calendar, now);
            var before = d.ToState();
            var decision = DossierWorkflow.Decide(before, context, user.ToActor(), new ActionRequest(action, form.Comment, form.TargetUnit));
            var applied = decision switch
            {
                Applied a => a,
                NotNow n => throw ActionNotAllowedNow(n.Status, [.. n.AllowedNow.Select(x => x.Slug())]),
                NotYours y => throw Forbidden(y.ReasonVi, y.ReasonEn),
                Incomplete i => throw BadRequest(i.Field, i.ReasonVi, i.ReasonEn),
                _ => throw new InvalidOperationException(decision.GetType().Name),
            };

            SignatureRecord? signature = null;
            List<Azure.Data.Tables.ITableEntity> rows = [];
            List<OutboxEntity> messages = [];
            if (action is DossierAction.Approve or DossierAction.SendBack)
            {
                var statement = new ApprovalStatement(d.PartitionKey, action.Slug(), d.HistoryCount, form.Signature?.SignedAt ?? now, form.Comment?.Trim() ?? string.Empty);
                signature = await approvals.VerifyAsync(user.Id, form.Signature, statement, ct);
            }
            // The approval signs the result too; the finish asks for the agency's seal, in the same batch as the change.
            if (action == DossierAction.Approve && await resultSigning.SignForApprovalAsync(d.PartitionKey, user, signature!.KeyId, form.ResultSignature, ct) is { } signed)
                rows.Add(signed);
            if (action == DossierAction.Finish && await results.FindAsync(d.PartitionKey, ct) is { StageValue: Issuance.ResultStage.PersonSigned, SealRequestedAt: null } toSeal)
            {
                toSeal.SealRequestedAt = now;
                rows.Add(toSeal);
                messages.Add(OutboxEntity.Create(d.PartitionKey, Issuance.ResultSealFunction.Queue, Issuance.ResultSealRequest.Subject,
                    BinaryData.FromObjectAsJson(new Issuance.ResultSealRequest(d.PartitionKey, toSeal.Revision), System.Text.Json.JsonSerializerOptions.Web),
                    Observability.Telemetry.CurrentTraceParent()));
            }

            var leftStep = LeftStep(d, before, applied.State, procedure.Workflow, now);
            d.Store(applied.State);
            if (leftStep is { Late: true }) d.LostTime = LostTimeLog.Append(d.LostTime, new LostTime(leftStep.Name, leftStep.HolderUnit, user.Id, leftStep.DueAt, now));
            if (action == DossierAction.Accept) d.AcceptedAt = now;
            if (applied.State.Status is DossierStatus.RefusedAtIntake or DossierStatus.Withdrawn or DossierStatus.Stopped) d.ClosedAt = now;
            if (applied.State.Step != before.Step || before.Status != DossierStatus.InProgress && applied.State.Status == DossierStatus.InProgress)
                d.StepStartedAt = now;
            return new DossierChange(applied.Change, new ActionDetails(form.TargetUnit, leftStep, d.DueAt, d.Timeliness, signature), messages, rows);
        }

        var result = await store.ApplyAsync(code, expectedVersion, Decide, user.Id, causedBy: "api", cancellationToken,
            access: d => DossierReader.EnsureMaySee(user, d));
        if (result.Outcome == ChangeOutcome.NotFound) throw DossierNotFound(code);
        if (action == DossierAction.Approve) await resultSigning.ForgetAsync(code, form.ResultSignature);
        await DispatchAsync(code, result, cancellationToken);
        return result.Dossier!;
    }

    private async Task DispatchAsync(string code, ApplyResult result, CancellationToken cancellationToken)
    {
        try
        {
            await outbox.DispatchAsync(code, result.Outbox ?? [], result.PendingMark, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            OutboxLog.DispatchFailed(logger, code, e);
        }
    }

    /// <summary>The step the dossier leaves with this action, if it leaves one, with its timing.</summary>
    private static StepRecord? LeftStep(DossierEntity d, DossierState before, DossierState after, IReadOnlyList<WorkflowStep> steps, DateTimeOffset now)
    {
        var leaves = before.Status == DossierStatus.InProgress && before.Step >= 0 && before.Step < steps.Count
            && (after.Step != before.Step || after.HolderUnit != before.HolderUnit
                || after.Status is not (DossierStatus.InProgress or DossierStatus.SupplementRequested or DossierStatus.FeesRequested));
        if (!leaves) return null;
        var step = steps[before.Step];
        var due = before.StepDeadline?.DueAt;
        return new StepRecord(before.Step, step.Name, step.Role, before.HolderUnit, d.StepStartedAt, due, now, due is { } x && now > x);
    }
}
