using System.ComponentModel;
using Azure.Data.Tables;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

public sealed record OutgoingTypeFigures(string DocumentType, int Issued);

/// <summary>An agency's outgoing documents issued in a period (<see cref="Identity"/>, <see cref="ReplyIdentity"/>).</summary>
public sealed record OutgoingStatisticsView(
    string Agency,
    DateOnly From,
    DateOnly To,
    [property: Description("Documents issued (numbered, signed by the agency and sent) in the period, secret and since-recalled ones included.")]
    int Issued,
    [property: Description("Of those issued, the secret ones (sent on paper).")]
    int Secret,
    [property: Description("Of those issued, the ones recalled since (to date).")]
    int Recalled,
    [property: Description("Of those issued, by document type, most first.")]
    IReadOnlyList<OutgoingTypeFigures> ByType,
    [property: Description("Of those issued, the ones sent fully electronically: not secret, with at least one recipient, every recipient an agency of this system "
        + "(delivered as an electronic incoming document). A recipient outside the system or a document with only paper recipients counts as not.")]
    int FullyElectronic,
    [property: Description("Fully electronic over issued; null when none was issued.")]
    double? ElectronicShare,
    [property: Description("Of those issued, the ones whose issued file carries the signer's and the agency's digital signatures: every document issued through "
        + "MotCua except secret ones, whose valid copy is the paper one.")]
    int DigitallySigned,
    [property: Description("Digitally signed over issued; null when none was issued.")]
    double? DigitallySignedShare,
    [property: Description("Of those issued and not recalled, the ones that ask for a reply by a due date.")]
    int RepliesDue,
    [property: Description("Of those, the ones whose first reply (an incoming document of this agency answering it) arrived on or before the due date.")]
    int RepliedOnTime,
    [property: Description("Of those, the ones whose first reply arrived after the due date.")]
    int RepliedLate,
    [property: Description("Of those, the ones with no reply yet and the due date passed.")]
    int Unanswered,
    [property: Description("Of those, the ones with no reply yet and the due date not passed.")]
    int AwaitingReply)
{
    public const string Identity = "issued = Σ byType.issued; digitallySigned = issued − secret";
    public const string ReplyIdentity = "repliesDue = repliedOnTime + repliedLate + unanswered + awaitingReply";
}

/// <summary>
/// Counts an agency's outgoing documents issued in a period of Vietnamese days, from the document rows
/// of its partition (only those issued in the period, with the columns the figures need), and the
/// replies from its incoming documents that answer one of ours. Replies, recalls and whether a due
/// date has passed are taken as they stand now.
/// </summary>
public sealed class OutgoingStatistics(MotCuaTables tables, ProcedureCatalog catalog, TimeProvider time)
{
    private static readonly string[] Columns =
    [
        nameof(OutgoingDocumentEntity.Id), nameof(OutgoingDocumentEntity.Secret), nameof(OutgoingDocumentEntity.DocumentType),
        nameof(OutgoingDocumentEntity.Recipients), nameof(OutgoingDocumentEntity.IssuedAt), nameof(OutgoingDocumentEntity.IssuedBlob),
        nameof(OutgoingDocumentEntity.SignedBy), nameof(OutgoingDocumentEntity.DueDate), nameof(OutgoingDocumentEntity.RecalledAt),
    ];

    public async Task<OutgoingStatisticsView> ComputeAsync(string agency, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var start = StartOf(from);
        var end = StartOf(to.AddDays(1));
        var today = VietnamTime.Today(time.GetUtcNow());
        var units = await catalog.UnitsAsync(cancellationToken);
        var byType = new Dictionary<string, int>(StringComparer.Ordinal);
        var due = new List<(string Id, DateOnly Due)>();
        int issued = 0, secret = 0, recalled = 0, electronic = 0, signed = 0;

        var filter = $"{OutgoingRows.PrefixFilter(agency, OutgoingRows.DocumentPrefix)} and {TableClient.CreateQueryFilter($"IssuedAt ge {start} and IssuedAt lt {end}")}";
        await foreach (var d in tables.Dossiers.QueryAsync<OutgoingDocumentEntity>(filter, select: Columns, cancellationToken: cancellationToken))
        {
            issued++;
            byType[d.DocumentType] = byType.GetValueOrDefault(d.DocumentType) + 1;
            if (d.Secret) secret++;
            if (d.RecalledAt is not null) recalled++;
            var recipients = OutgoingViewMapping.Recipients(d);
            if (!d.Secret && recipients.Count > 0 && recipients.All(r => units.TryGetValue(r.Agency, out var unit) && !unit.IsDepartment)) electronic++;
            if (!d.Secret && d.IssuedBlob is not null && d.SignedBy is not null) signed++;
            if (d.RecalledAt is null && Days.Parse(d.DueDate) is { } day) due.Add((d.Id, day));
        }

        int onTime = 0, late = 0, unanswered = 0, awaiting = 0;
        if (due.Count > 0)
        {
            var replies = await FirstRepliesAsync(agency, start, cancellationToken);
            foreach (var (id, day) in due)
            {
                if (replies.TryGetValue(id, out var replied))
                {
                    if (VietnamTime.Today(replied) <= day) onTime++;
                    else late++;
                }
                else if (today > day) unanswered++;
                else awaiting++;
            }
        }

        return new OutgoingStatisticsView(agency, from, to, issued, secret, recalled,
            [.. byType.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).Select(t => new OutgoingTypeFigures(t.Key, t.Value))],
            electronic, Share(electronic, issued), signed, Share(signed, issued), due.Count, onTime, late, unanswered, awaiting);
    }

    /// <summary>When the first reply to each of our documents arrived: our incoming documents that answer one, arrived since the period began.</summary>
    private async Task<Dictionary<string, DateTimeOffset>> FirstRepliesAsync(string agency, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var replies = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var filter = $"{IncomingRows.PrefixFilter(agency, IncomingRows.DocumentPrefix)} and {TableClient.CreateQueryFilter($"ArrivedAt ge {since}")}";
        await foreach (var reply in tables.Dossiers.QueryAsync<IncomingDocumentEntity>(filter,
            select: [nameof(IncomingDocumentEntity.InReplyToOutgoingId), nameof(IncomingDocumentEntity.ArrivedAt)], cancellationToken: cancellationToken))
        {
            if (reply.InReplyToOutgoingId is not { } answered) continue;
            if (!replies.TryGetValue(answered, out var first) || reply.ArrivedAt < first) replies[answered] = reply.ArrivedAt;
        }
        return replies;
    }

    private static double? Share(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), VietnamTime.Offset);
}
