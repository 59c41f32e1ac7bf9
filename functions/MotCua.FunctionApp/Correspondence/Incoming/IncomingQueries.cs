using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>
/// The work lists of an agency's incoming documents, most urgent first, then oldest first:
/// awaiting registration (records clerks), awaiting direction (leaders), mine (what the user
/// handles or must pass on), and open (everything not closed). Pages continue after a cursor
/// naming the last item, so a document that moves while someone pages is neither shown twice
/// nor skipped among those that stay.
/// </summary>
public sealed class IncomingQueries(MotCuaTables tables, IncomingAccess access)
{
    public const int DefaultPageSize = 50, MaxPageSize = 100;
    public static readonly string[] Lists = ["awaiting-registration", "awaiting-direction", "mine", "open"];

    public async Task<IncomingPage> ListAsync(string agency, string list, CurrentUser user, string? cursor, int? pageSize, CancellationToken cancellationToken)
    {
        await access.RequireMemberAsync(user, agency, cancellationToken);
        var size = pageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize) throw BadRequest("pageSize", $"Từ 1 đến {MaxPageSize}.", $"1 to {MaxPageSize}.");
        Cursor? after = cursor is null ? null : Cursor.Parse(cursor) ?? throw BadRequest("cursor", "Con trỏ trang không hợp lệ.", "The page cursor is not valid.");
        int[] statuses = list switch
        {
            "awaiting-registration" => [(int)IncomingStatus.Arrived],
            "awaiting-direction" => [(int)IncomingStatus.Registered],
            "mine" => [(int)IncomingStatus.Directed, (int)IncomingStatus.InProgress],
            "open" => [(int)IncomingStatus.Arrived, (int)IncomingStatus.Registered, (int)IncomingStatus.Directed, (int)IncomingStatus.InProgress],
            _ => throw BadRequest("list", $"Danh sách là một trong: {string.Join(", ", Lists)}.", $"The list is one of: {string.Join(", ", Lists)}."),
        };

        var items = new List<IncomingDocumentEntity>();
        var statusFilter = string.Join(" or ", statuses.Select(s => TableClient.CreateQueryFilter($"Status eq {s}")));
        var filter = $"{IncomingRows.PrefixFilter(agency, IncomingRows.DocumentPrefix)} and ({statusFilter})";
        await foreach (var d in tables.Dossiers.QueryAsync<IncomingDocumentEntity>(filter, cancellationToken: cancellationToken))
        {
            if (list == "mine" && !IsMine(user, d)) continue;
            if (!await access.CanSeeAsync(user, d, cancellationToken)) continue;
            if (after is { } c && Cursor.Compare(Cursor.Of(d), c) <= 0) continue;
            items.Add(d);
        }
        var page = items.OrderBy(Cursor.Of, Comparer<Cursor>.Create(Cursor.Compare)).Take(size + 1).ToList();
        var next = page.Count > size ? Cursor.Of(page[size - 1]).ToString() : null;
        return new IncomingPage([.. page.Take(size).Select(IncomingViewMapping.Item)], next);
    }

    private static bool IsMine(CurrentUser user, IncomingDocumentEntity d) =>
        user.Id == (d.Assignee ?? d.LeadUser) || (d.Assignee is null && IncomingAccess.IsLeadDepartmentHead(user, d));

    /// <summary>Sort order as text: priority (higher first), arrival (older first), id.</summary>
    private readonly record struct Cursor(int Priority, long ArrivedTicks, string Id)
    {
        public static Cursor Of(IncomingDocumentEntity d) => new(d.Priority, d.ArrivedAt.UtcTicks, d.Id);

        public static int Compare(Cursor a, Cursor b)
        {
            var byPriority = b.Priority.CompareTo(a.Priority);
            if (byPriority != 0) return byPriority;
            var byArrival = a.ArrivedTicks.CompareTo(b.ArrivedTicks);
            return byArrival != 0 ? byArrival : string.CompareOrdinal(a.Id, b.Id);
        }

        public override string ToString() =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Priority}|{ArrivedTicks}|{Id}"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static Cursor? Parse(string text)
        {
            try
            {
                var padded = text.Replace('-', '+').Replace('_', '/');
                padded += new string('=', (4 - padded.Length % 4) % 4);
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('|');
                return parts.Length == 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var p)
                    && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t) && IncomingDocumentId.TryParse(parts[2], out _)
                    ? new Cursor(p, t, parts[2]) : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
