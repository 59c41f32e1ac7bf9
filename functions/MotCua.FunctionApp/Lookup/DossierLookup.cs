using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Calendar;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Lookup;

/// <summary>
/// What a lookup found: the public view, and for the citizen's page what the office asked of them (the request's
/// words when the dossier waits for papers or fees) and the procedure version it was received under.
/// </summary>
public sealed record LookupFound(LookupView View, string ReceivingUnitCode, Procedure? Procedure, string? Request);

/// <summary>
/// The lookup by code and PIN that the JSON API and the lookup page share: guarded per address and code
/// (<see cref="PinTryGuard"/>); a malformed code or PIN, an unknown code and a wrong PIN are the same 404.
/// </summary>
public sealed class DossierLookup(DossierStore store, ProcedureCatalog catalog, CalendarStore calendars, TimeProvider time, PinTryGuard guard,
    ILogger<PinTryGuard> logger)
{
    public static ProblemException NotFound() => new(404, "lookup-not-found", "Không tìm thấy hồ sơ với mã và mã tra cứu này", "No dossier with this code and PIN");

    public async Task<LookupFound> FindAsync(string? code, string? pin, string address, CancellationToken cancellationToken)
    {
        if (code is null || !DossierCode.TryParse(code, out _) || !LookupPins.IsWellFormed(pin)) throw NotFound();
        await guard.ClaimTryAsync(code, address, LookupPins.IsOld(pin), logger, cancellationToken);
        var found = await store.GetAsync(code, cancellationToken);
        if (found is not { } f || !LookupPins.Matches(f.Dossier.LookupPin, pin)) throw NotFound();
        await guard.ForgetAsync(code, address, cancellationToken);

        var d = f.Dossier;
        var status = (DossierStatus)d.Status;
        var units = await catalog.UnitsAsync(cancellationToken);
        var calendar = await calendars.CurrentAsync(cancellationToken);
        var left = d.DueAt is { } due && d.FinishedAt is null ? calendar.Remaining(d.PausedAt ?? time.GetUtcNow(), due).Vietnamese : null;
        var view = new LookupView(d.PartitionKey, d.ProcedureName, units.TryGetValue(d.ReceivingUnit, out var unit) ? unit.Name : d.ReceivingUnit,
            StatusView.Of(status), d.SubmittedAt, d.DueAt, left, TimelinessView.Of(d.Timeliness),
            [.. f.History.OrderBy(h => h.Sequence).Select(LookupStep.Of)]);
        // The office's words to the citizen are shown only while they wait for the citizen: the request that put the dossier there.
        var request = status is DossierStatus.SupplementRequested or DossierStatus.FeesRequested
            ? f.History.OrderBy(h => h.Sequence).LastOrDefault(h => h.To == status)?.Comment is { Length: > 0 } comment ? comment : null
            : null;
        return new LookupFound(view, d.ReceivingUnit, await catalog.FindVersionAsync(d.ProcedureCode, d.ProcedureVersion, cancellationToken), request);
    }
}
