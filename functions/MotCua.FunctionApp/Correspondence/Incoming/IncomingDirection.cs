using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Text;
using MotCua.FunctionApp.Approvals;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Notifications;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Correspondence.Incoming;

public sealed record DirectedDocument(string Id, int Version);

/// <summary>
/// A leader's direction (bút phê) over one or several registered documents: the lead (a department
/// of the agency or an official), co-handlers and those informed (officials or departments), the
/// time limit, a comment, and the phone's signature over exactly that. A deputy directs on behalf
/// of an absent leader, named in <see cref="OnBehalfOf"/>.
/// </summary>
public sealed record DirectionForm(IReadOnlyList<DirectedDocument>? Documents, string Lead, IReadOnlyList<string>? CoHandlers, IReadOnlyList<string>? Informed,
    string DueDate, string? Comment, string? OnBehalfOf, ApprovalSignature? Signature);

/// <summary>What the phone signs for a direction: one field a line, UTF-8, lists sorted, times in UTC to the second.</summary>
public sealed record DirectionStatement(IReadOnlyList<DirectedDocument> Documents, string Lead, IReadOnlyList<string> CoHandlers, IReadOnlyList<string> Informed,
    DateOnly DueDate, string? OnBehalfOf, DateTimeOffset SignedAt, string Comment)
{
    public const string Action = "direct";

    public string Canonical() => string.Join('\n',
    [
        "MOTCUA-DIRECTION-V1",
        .. Documents.OrderBy(d => d.Id, StringComparer.Ordinal).Select(d => $"document:{d.Id}@{d.Version.ToString(CultureInfo.InvariantCulture)}"),
        $"lead:{Lead}",
        $"co-handlers:{string.Join(',', CoHandlers.Order(StringComparer.Ordinal))}",
        $"informed:{string.Join(',', Informed.Order(StringComparer.Ordinal))}",
        $"due:{Days.Format(DueDate)}",
        $"on-behalf-of:{OnBehalfOf ?? string.Empty}",
        $"signed-at:{SignedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}",
        $"comment-sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Comment)))}",
    ]);
}

public sealed record DirectionResult(IReadOnlyList<DirectedView> Documents);

public sealed record DirectedView(string Id, int Version, string Status);

/// <summary>Checks a direction whole (every document, every handler, the signature) before it records it on any document.</summary>
public sealed class IncomingDirection(IncomingStore store, IncomingAccess access, ProcedureCatalog catalog, MemberDirectory members, ApprovalVerifier verifier,
    TimeProvider time)
{
    public const int MaxDocuments = 50;

    public async Task<DirectionResult> DirectAsync(IReadOnlyList<DirectedDocument> targets, DirectionForm form, CurrentUser user, CancellationToken cancellationToken)
    {
        if (targets.Count == 0 || targets.Count > MaxDocuments)
            throw BadRequest("documents", $"Chỉ đạo từ 1 đến {MaxDocuments} văn bản một lần.", $"Direct 1 to {MaxDocuments} documents at a time.");
        if (targets.Select(t => t.Id).Distinct().Count() != targets.Count) throw BadRequest("documents", "Một văn bản được nêu hai lần.", "A document is named twice.");
        var agency = await access.AgencyOfAsync(user, cancellationToken);
        var leader = user.HasRole(Roles.Leader);
        if (agency is null || !(leader || user.HasRole(Roles.DeputyLeader)))
            throw Forbidden("Chỉ lãnh đạo cơ quan chỉ đạo xử lý văn bản đến.", "Only the agency's leaders direct incoming documents.");
        var dueDate = Days.Parse(form.DueDate) ?? throw BadRequest("dueDate", "Thời hạn theo dạng yyyy-MM-dd.", "The time limit is yyyy-MM-dd.");
        if (dueDate < VietnamTime.Today(time.GetUtcNow())) throw BadRequest("dueDate", "Thời hạn đã qua.", "The time limit has passed.");
        var comment = form.Comment?.Trim() ?? string.Empty;
        if (comment.Length > 2000) throw BadRequest("comment", "Ý kiến chỉ đạo tối đa 2000 ký tự.", "A comment has at most 2000 characters.");
        if (SafeText.Check("comment", comment, LineBreaks.Allowed) is { } unsafeComment) throw InvalidFields([unsafeComment]);
        var coHandlers = (form.CoHandlers ?? []).Distinct().ToList();
        var informed = (form.Informed ?? []).Distinct().ToList();
        if (coHandlers.Count + informed.Count > 50) throw BadRequest("coHandlers", "Tối đa 50 người, đơn vị phối hợp và để biết.", "At most 50 co-handlers and informed.");

        string? onBehalfOf = null, absentName = null;
        if (!leader)
        {
            if (string.IsNullOrEmpty(form.OnBehalfOf)) throw BadRequest("onBehalfOf", "Cấp phó chỉ đạo thay lãnh đạo vắng mặt: nêu người được thay.", "A deputy directs on behalf of an absent leader: name them.");
            var absent = await members.FindAsync([agency], form.OnBehalfOf, cancellationToken);
            if (absent is null || !absent.AllRoles().Contains(Roles.Leader)) throw IncomingProblems.UnknownHandler(form.OnBehalfOf);
            onBehalfOf = form.OnBehalfOf;
            absentName = absent.Name;
        }
        else if (form.OnBehalfOf is not null)
        {
            throw BadRequest("onBehalfOf", "Lãnh đạo chỉ đạo với danh nghĩa của mình.", "A leader directs in their own name.");
        }

        var units = await catalog.UnitsAsync(cancellationToken);
        var departments = units.Values.Where(u => u.IsDepartment && u.Parent == agency).Select(u => u.AgencyCode).ToHashSet();
        string[] memberUnits = [agency, .. departments];
        async Task<bool> KnownAsync(string who) => departments.Contains(who) || await members.FindAsync(memberUnits, who, cancellationToken) is not null;
        foreach (var who in new[] { form.Lead }.Concat(coHandlers).Concat(informed))
        {
            if (string.IsNullOrWhiteSpace(who) || who.Length > 64 || !await KnownAsync(who)) throw IncomingProblems.UnknownHandler(who ?? string.Empty);
        }
        if (coHandlers.Contains(form.Lead) || informed.Contains(form.Lead)) throw BadRequest("lead", "Đơn vị chủ trì không đồng thời phối hợp hay để biết.", "The lead is not also a co-handler or informed.");

        // Every document is read and checked before any is changed: a refusal changes none.
        var documents = new List<IncomingDocumentEntity>();
        foreach (var target in targets)
        {
            if (!IncomingDocumentId.TryParse(target.Id, out var id)) throw IncomingProblems.BadId(target.Id);
            var d = id.Value.Agency == agency ? await store.FindAsync(id.Value, cancellationToken) : null;
            if (d is null || !await access.CanSeeAsync(user, d, cancellationToken)) throw IncomingProblems.NotFound(target.Id);
            if (d.Version != target.Version) throw IncomingProblems.Changed(d.Version);
            if (d.RecalledAt is not null) throw IncomingProblems.Recalled(d);
            if (d.State is not (IncomingStatus.Registered or IncomingStatus.Directed)) throw IncomingProblems.StepNotAllowed(d.State, "chỉ đạo", "directed");
            documents.Add(d);
        }

        var signature = form.Signature ?? throw SignatureRequired(DirectionStatement.Action);
        var statement = new DirectionStatement(targets, form.Lead, coHandlers, informed, dueDate, onBehalfOf, signature.SignedAt, comment);
        var record = await verifier.VerifyAsync(user.Id, signature, DirectionStatement.Action, statement.Canonical(), cancellationToken);

        var leadIsUnit = departments.Contains(form.Lead);
        var results = new List<DirectedView>();
        foreach (var (d, target) in documents.Zip(targets))
        {
            var applied = await store.ApplyAsync(d, target.Version, (doc, _) =>
            {
                var redirect = doc.State == IncomingStatus.Directed;
                doc.DirectedAt = time.GetUtcNow();
                doc.DirectedBy = user.Id;
                doc.DirectedByName = user.Name;
                doc.OnBehalfOf = onBehalfOf;
                doc.LeadUnit = leadIsUnit ? form.Lead : null;
                doc.LeadUser = leadIsUnit ? null : form.Lead;
                doc.CoHandlers = IncomingLists.Join(coHandlers);
                doc.Informed = IncomingLists.Join(informed);
                doc.DueDate = Days.Format(dueDate);
                doc.DirectionComment = comment;
                doc.Assignee = leadIsUnit ? null : form.Lead;
                doc.AssigneeDueDate = null;
                doc.AssignedBy = null;
                var text = onBehalfOf is null ? comment : $"(Thay mặt {absentName}) {comment}".Trim();
                return ValueTask.FromResult(new IncomingChange(IncomingStatus.Directed, redirect ? "redirected" : "directed", text,
                    new { lead = form.Lead, coHandlers, informed, dueDate = Days.Format(dueDate), onBehalfOf, signature = record }));
            }, user.Id, cancellationToken);
            results.Add(new DirectedView(applied.Document.Id, applied.Document.Version, applied.Document.State.Code()));
        }
        return new DirectionResult(results);
    }
}
