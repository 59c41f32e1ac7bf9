using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Correspondence.Registers;

/// <summary>
/// The lines of an agency's incoming registers for one year, in the order of their receipt numbers
/// (số đến): the register's entries joined with their documents, read a few dozen at a time so no
/// more than that is held however long the year. A secret document prints its metadata, which is
/// all it has.
/// </summary>
public sealed class IncomingRegisterRows(MotCuaTables tables, TimeProvider time)
{
    private const int ChunkSize = 50;

    /// <summary>Sổ đăng ký văn bản đến: every registered document, in the columns of <see cref="RegisterLayouts.Incoming"/>.</summary>
    public async IAsyncEnumerable<IReadOnlyList<string>> IncomingAsync(AgencyDirectory directory, int year, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (number, d) in EntriesAsync(directory.Agency, year, cancellationToken))
        {
            List<string> notes = [];
            if (d.Secret) notes.Add("Mật");
            if (DocumentPriority.IsUrgent(d.Priority)) notes.Add(DocumentPriority.Name(d.Priority));
            if (d.Channel == "paper") notes.Add("Bản giấy");
            yield return
            [
                Day(d.ArrivedAt),
                number.ToString(CultureInfo.InvariantCulture),
                d.SenderName ?? string.Empty,
                NumberAndNotation(d),
                DayOf(d.DocumentDate),
                TypeAndSummary(d),
                d.DirectedAt is null ? string.Empty : directory.NameOf(d.LeadUnit ?? d.LeadUser ?? string.Empty),
                d.DirectedAt is { } directed ? Day(directed) : string.Empty,
                string.Empty,
                string.Join("; ", notes),
            ];
        }
    }

    /// <summary>Sổ theo dõi giải quyết văn bản đến: the registered documents given to someone to handle, in the columns of <see cref="RegisterLayouts.FollowUp"/>.</summary>
    public async IAsyncEnumerable<IReadOnlyList<string>> FollowUpAsync(AgencyDirectory directory, int year, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var today = VietnamTime.Today(time.GetUtcNow());
        await foreach (var (number, d) in EntriesAsync(directory.Agency, year, cancellationToken))
        {
            if (d.DirectedAt is null) continue;
            var lead = directory.NameOf(d.LeadUnit ?? d.LeadUser ?? string.Empty);
            if (d.LeadUnit is not null && d.Assignee is { } assignee) lead += $" ({directory.NameOf(assignee)})";
            var progress = d.FinishedAt is { } finished ? $"Đã xong ngày {Day(finished)}"
                : d.LastProgress is { } note ? $"{Day(d.LastProgressAt ?? d.DirectedAt.Value)}: {note}"
                : "Chưa cập nhật tiến độ";
            List<string> notes = [];
            if (d.FinishedLate == true) notes.Add("Trễ hạn");
            else if (d.FinishedAt is null && d.HandlerDue is { } due && today > due) notes.Add("Quá hạn");
            if (d.Secret) notes.Add("Mật");
            yield return
            [
                number.ToString(CultureInfo.InvariantCulture),
                Day(d.ArrivedAt),
                Description(d),
                lead,
                d.HandlerDue is { } limit ? Day(limit) : string.Empty,
                progress,
                Reply(d.ReplyDocumentId),
                string.Join("; ", notes),
            ];
        }
    }

    /// <summary>The year's entries in number order, each with its document, fetched a chunk at a time.</summary>
    private async IAsyncEnumerable<(int Number, IncomingDocumentEntity Document)> EntriesAsync(string agency, int year,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = IncomingRows.RegisterEntry(year, 0)[..^6];
        var chunk = new List<RegisterEntryEntity>(ChunkSize);
        await foreach (var entry in tables.Dossiers.QueryAsync<RegisterEntryEntity>(IncomingRows.PrefixFilter(agency, prefix), maxPerPage: ChunkSize,
            cancellationToken: cancellationToken))
        {
            chunk.Add(entry);
            if (chunk.Count < ChunkSize) continue;
            foreach (var line in await JoinAsync(agency, chunk, cancellationToken)) yield return line;
            chunk.Clear();
        }
        foreach (var line in await JoinAsync(agency, chunk, cancellationToken)) yield return line;
    }

    private async Task<IEnumerable<(int, IncomingDocumentEntity)>> JoinAsync(string agency, List<RegisterEntryEntity> entries, CancellationToken cancellationToken)
    {
        var documents = await Task.WhenAll(entries.Select(e => tables.Dossiers.GetEntityIfExistsAsync<IncomingDocumentEntity>(
            IncomingRows.Partition(agency), IncomingRows.Document(e.DocumentId), cancellationToken: cancellationToken)));
        // An entry is written in the same batch as its document's registration, so every entry has its document.
        return entries.Zip(documents).Where(p => p.Second.HasValue).Select(p => (p.First.Number, p.Second.Value!)).ToList();
    }

    private static string Day(DateTimeOffset instant) => Day(VietnamTime.Today(instant));

    private static string Day(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static string DayOf(string? stored) => Days.Parse(stored) is { } day ? Day(day) : string.Empty;

    private static string NumberAndNotation(IncomingDocumentEntity d) => (d.Number, d.Notation) switch
    {
        ({ } number, { } notation) => $"{number}/{notation}",
        (var number, var notation) => number ?? notation ?? string.Empty,
    };

    private static string TypeAndSummary(IncomingDocumentEntity d) =>
        string.Join(": ", new[] { d.DocumentType, d.Summary }.Where(s => !string.IsNullOrWhiteSpace(s)));

    /// <summary>"Công văn số 125/UBND-VP ngày 01/12/2026 của Ủy ban nhân dân tỉnh Khánh Hòa: V/v …".</summary>
    private static string Description(IncomingDocumentEntity d)
    {
        var text = d.DocumentType ?? "Văn bản";
        if (NumberAndNotation(d) is { Length: > 0 } code) text += $" số {code}";
        if (Days.Parse(d.DocumentDate) is { } date) text += $" ngày {Day(date)}";
        if (!string.IsNullOrWhiteSpace(d.SenderName)) text += $" của {d.SenderName}";
        return string.IsNullOrWhiteSpace(d.Summary) ? text : $"{text}: {d.Summary}";
    }

    /// <summary>A reply named by its QCVN 102 identifier prints as its number, notation and date; an outgoing document's id as it is.</summary>
    private static string Reply(string? reply) =>
        reply is null ? string.Empty
        : QcvnDocumentId.TryParse(reply, out var id) ? $"{id.Value.Number}/{id.Value.Notation} ngày {Day(id.Value.PromulgationDate)}"
        : reply;
}
