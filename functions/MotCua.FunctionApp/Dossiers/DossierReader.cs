using Azure.Data.Tables;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Workflow;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Calendar;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Dossiers;

/// <summary>Reads a dossier for someone allowed to see it: its status, progress, documents and history.</summary>
public sealed class DossierReader(DossierStore store, MotCuaTables tables, ProcedureCatalog catalog, CalendarStore calendars, TimeProvider time)
{
    /// <summary>Who may see a dossier: its citizen, officials of a unit it involves, admins.</summary>
    public static bool MaySee(CurrentUser user, DossierEntity d) =>
        user.Role == Roles.Admin
        || (user.Role == Roles.Citizen && d.OwnerId.Length > 0 && d.OwnerId == user.Id)
        || (user.IsOfficial && (d.ReceivingUnit == user.Unit || d.HolderUnit == user.Unit));

    public static void EnsureMaySee(CurrentUser user, DossierEntity d)
    {
        if (!MaySee(user, d)) throw Forbidden("Bạn không có quyền xem hồ sơ này.", "You may not see this dossier.");
    }

    public async Task<DossierView> ReadAsync(string code, CurrentUser user, CancellationToken cancellationToken)
    {
        if (!DossierCode.TryParse(code, out _)) throw BadDossierCode(code);
        var found = await store.GetAsync(code, cancellationToken) ?? throw DossierNotFound(code);
        EnsureMaySee(user, found.Dossier);

        var documents = new List<DocumentEntity>();
        await foreach (var d in tables.Documents.QueryAsync<DocumentEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {found.Dossier.DossierId}"), cancellationToken: cancellationToken))
        {
            documents.Add(d);
        }
        return DossierView.Of(found.Dossier, await ProgressAsync(found.Dossier, user.ToActor(), cancellationToken), documents, found.History);
    }

    public async Task<ProgressView> ProgressAsync(DossierEntity d, Actor viewer, CancellationToken cancellationToken)
    {
        var procedure = await catalog.FindVersionAsync(d.ProcedureCode, d.ProcedureVersion, cancellationToken);
        var steps = procedure?.Workflow ?? [];
        var step = d.Step >= 0 && d.Step < steps.Count ? steps[d.Step] : null;
        var calendar = await calendars.CurrentAsync(cancellationToken);
        var now = time.GetUtcNow();
        var open = d.DueAt is not null && d.FinishedAt is null && (DossierStatus)d.Status is not (DossierStatus.Withdrawn or DossierStatus.Stopped or DossierStatus.RefusedAtIntake);
        var left = open ? calendar.Remaining(d.PausedAt ?? now, d.DueAt!.Value) : null;
        var allowed = procedure is null || (DossierStatus)d.Status == DossierStatus.Receiving
            ? []
            : DossierWorkflow.AllowedNow(d.ToState(), new WorkflowContext(steps, procedure.ProcessingDays, calendar, now), viewer).Select(a => a.Slug()).ToList();
        return new ProgressView(d.Step, step?.Name, step?.Role, d.HolderUnit, d.DueAt, d.StepDueAt, left?.Vietnamese, left?.English, d.Timeliness, allowed);
    }
}
