using System.Globalization;
using System.Runtime.CompilerServices;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Correspondence.Outgoing;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Correspondence.Registers;

/// <summary>
/// The lines of an agency's outgoing register of one numbering series for one year, in number
/// order: the series' entries joined with their documents and each document's recipient rows, read a
/// few dozen at a time so no more than that is held however long the year.
/// </summary>
public sealed class OutgoingRegisterRows(MotCuaTables tables)
{
    private const int ChunkSize = 50;

    /// <summary>The series a register may be asked for: the shared one, the secret one, or a legal normative type's ("qppl-QĐ").</summary>
    public static bool IsSeries(string series) =>
        series is DocumentNumbering.GeneralSeries or DocumentNumbering.SecretSeries
        || (series.StartsWith(LegalNormativePrefix, StringComparison.Ordinal) && LetterTypes.All.Any(t => t.Abbreviation == series[LegalNormativePrefix.Length..]));

    /// <summary>Under the title: "Năm 2026", with the series when it is not the shared one.</summary>
    public static string Period(int year, string series)
    {
        var period = "Năm " + year.ToString(CultureInfo.InvariantCulture);
        return series switch
        {
            DocumentNumbering.GeneralSeries => period,
            DocumentNumbering.SecretSeries => period + " – Văn bản mật",
            _ => $"{period} – Văn bản quy phạm pháp luật: {LetterTypes.All.First(t => t.Abbreviation == series[LegalNormativePrefix.Length..]).Name}",
        };
    }

    private const string LegalNormativePrefix = "qppl-";

    /// <summary>Sổ đăng ký văn bản đi: every numbered document of the series, in the columns of <see cref="RegisterLayouts.Outgoing"/>.</summary>
    public async IAsyncEnumerable<IReadOnlyList<string>> OutgoingAsync(AgencyDirectory directory, int year, string series,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = OutgoingRows.RegisterEntry(year, series, 0)[..^6];
        var chunk = new List<RegisterEntryEntity>(ChunkSize);
        await foreach (var entry in tables.Dossiers.QueryAsync<RegisterEntryEntity>(OutgoingRows.PrefixFilter(directory.Agency, prefix), maxPerPage: ChunkSize,
            cancellationToken: cancellationToken))
        {
            chunk.Add(entry);
            if (chunk.Count < ChunkSize) continue;
            foreach (var line in await JoinAsync(directory, chunk, cancellationToken)) yield return line;
            chunk.Clear();
        }
        foreach (var line in await JoinAsync(directory, chunk, cancellationToken)) yield return line;
    }

    private async Task<IEnumerable<IReadOnlyList<string>>> JoinAsync(AgencyDirectory directory, List<RegisterEntryEntity> entries, CancellationToken cancellationToken)
    {
        var joined = await Task.WhenAll(entries.Select(async e =>
        {
            var d = await tables.Dossiers.GetEntityIfExistsAsync<OutgoingDocumentEntity>(OutgoingRows.Partition(directory.Agency), OutgoingRows.Document(e.DocumentId),
                cancellationToken: cancellationToken);
            if (!d.HasValue) return null;
            var rows = new List<OutgoingRecipientEntity>();
            await foreach (var r in tables.Dossiers.QueryAsync<OutgoingRecipientEntity>(OutgoingRows.PrefixFilter(directory.Agency, OutgoingRows.RecipientPrefix(e.DocumentId)),
                cancellationToken: cancellationToken))
            {
                rows.Add(r);
            }
            return Line(directory, d.Value!, rows);
        }));
        // An entry is written in the same batch as its document's numbering, so every entry has its document.
        return joined.OfType<IReadOnlyList<string>>().ToList();
    }

    private static IReadOnlyList<string> Line(AgencyDirectory directory, OutgoingDocumentEntity d, List<OutgoingRecipientEntity> recipientRows)
    {
        var rows = recipientRows.ToDictionary(r => r.Recipient, StringComparer.Ordinal);
        var recipients = OutgoingViewMapping.Recipients(d)
            .Select(r => (Name: rows.TryGetValue(r.Agency, out var row) ? row.Name : r.Name ?? directory.NameOf(r.Agency), Row: rows.GetValueOrDefault(r.Agency)))
            .ToList();
        // "Nơi nhận" lines beyond the recipients go on paper; the file copy's line ("Lưu: VT, …") has its own column.
        var paper = OutgoingViewMapping.OtherRecipients(d).Where(l => !l.TrimStart().StartsWith("Lưu", StringComparison.OrdinalIgnoreCase))
            .Select(l => l.Trim().TrimEnd(';', ',').Trim()).ToList();
        var signer = d.SignedByName is null ? string.Empty : d.SignerPosition is { Length: > 0 } position ? $"{d.SignedByName} ({position})" : d.SignedByName;
        List<string> notes = [];
        if (d.Secret) notes.Add("Mật");
        if (DocumentPriority.IsUrgent(d.Priority)) notes.Add(DocumentPriority.Name(d.Priority));
        if (d.RecalledAt is { } recalled) notes.Add($"Đã thu hồi ngày {Day(recalled)}: {d.RecallReason}");
        return
        [
            d.Symbol ?? string.Empty,
            DayOf(d.IssueDate),
            string.Join(": ", new[] { d.DocumentType, d.Summary }.Where(s => !string.IsNullOrWhiteSpace(s))),
            signer,
            string.Join("; ", recipients.Select(r => r.Name).Concat(paper)),
            directory.NameOf(d.DraftingUnit),
            // Each recipient of the system gets the one electronic original and no paper copy follows (Decree 30/2020, art. 16);
            // a document sent only on paper takes one copy per line of its "Nơi nhận".
            recipients.Count > 0 ? "1" : paper.Count > 0 ? paper.Count.ToString(CultureInfo.InvariantCulture) : string.Empty,
            d.IssuedAt is { } issued ? Day(issued) : string.Empty,
            string.Join("; ", recipients.Select(r => $"{r.Name}: {Acknowledgement(r.Row)}")),
            string.Join("; ", notes),
        ];
    }

    /// <summary>Where the document stands at a recipient: the standard's status, or not yet delivered (an outside recipient waits for the exchange).</summary>
    private static string Acknowledgement(OutgoingRecipientEntity? row) => row switch
    {
        { Internal: false, Status: 0 } => "Chờ gửi qua trục liên thông",
        null or { Status: 0 } => "Chưa gửi",
        _ => OutgoingViewMapping.RecipientStatus(row.Status).Name + (row.UpdatedAt is { } at ? $" ({Day(at)})" : string.Empty),
    };

    private static string Day(DateTimeOffset instant) => Day(VietnamTime.Today(instant));

    private static string Day(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static string DayOf(string? stored) => Days.Parse(stored) is { } day ? Day(day) : string.Empty;
}
