using MotCua.Domain.Dossiers;
using MotCua.Domain.Text;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Dossiers;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Forms;

/// <summary>
/// A late dossier owes the citizen an apology with a new date. Recording it is a history entry
/// (the status does not move), from which the apology form is printed.
/// </summary>
public sealed class DossierApologies(DossierStore store, Outbox.OutboxDispatcher outbox, TimeProvider time)
{
    public const string Action = "apologize";

    public async Task RecordAsync(string code, int expectedVersion, CurrentUser user, ApologyDetails apology, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(apology.Reason) || apology.Reason.Length > 2000)
            throw BadRequest("reason", "Cần nêu lý do chậm trễ (tối đa 2000 ký tự).", "Give the reason for the delay (at most 2000 characters).");
        if (SafeText.Check("reason", apology.Reason, LineBreaks.Allowed) is { } unsafeReason) throw InvalidFields([unsafeReason]);
        var now = time.GetUtcNow();
        if (apology.NewDueDate <= VietnamTime.Today(now)) throw BadRequest("newDueDate", "Ngày hẹn mới phải sau hôm nay.", "The new date is after today.");

        ValueTask<DossierChange?> Decide(DossierEntity d, CancellationToken _)
        {
            if (!user.IsOfficial || (user.Unit != d.ReceivingUnit && user.Unit != d.HolderUnit))
                throw Forbidden("Chỉ cán bộ của đơn vị giải quyết lập phiếu xin lỗi.", "Only officials of a handling unit issue an apology.");
            var status = (DossierStatus)d.Status;
            var late = d.Timeliness == nameof(Domain.Deadlines.Timeliness.Late)
                || (d.DueAt is { } due && d.FinishedAt is null && d.PausedAt is null && due < now
                    && status is DossierStatus.InProgress or DossierStatus.Accepted);
            if (!late) throw new Problems.ProblemException(409, "not-late", "Hồ sơ không trễ hạn", "The dossier is not late",
                "Phiếu xin lỗi chỉ lập cho hồ sơ quá hạn.", "An apology is issued only for a late dossier.");
            return ValueTask.FromResult<DossierChange?>(new DossierChange(new StatusChange(status, status, Action, apology.Reason.Trim()),
                apology with { Reason = apology.Reason.Trim() }));
        }

        var result = await store.ApplyAsync(code, expectedVersion, Decide, user.Id, causedBy: "api", cancellationToken,
            access: d => DossierReader.EnsureMaySee(user, d));
        if (result.Outcome == ChangeOutcome.NotFound) throw DossierNotFound(code);
        await outbox.DispatchAsync(code, result.Outbox ?? [], result.PendingMark, cancellationToken);
    }
}
