using System.Collections.Concurrent;
using Azure.Data.Tables;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Notifications;

/// <summary>
/// Which officials belong to which unit, learned when they use the app (and seeded for the demo
/// users): the people a unit's notifications go to. A member is written at most once an hour.
/// </summary>
public sealed class MemberDirectory(MotCuaTables tables, TimeProvider time)
{
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _recorded = new(StringComparer.Ordinal);

    public async Task RecordAsync(CurrentUser user, CancellationToken cancellationToken)
    {
        if (!user.IsOfficial || user.Unit is null) return;
        var key = $"{user.Unit}|{user.Id}|{user.Role}";
        var now = time.GetUtcNow();
        if (_recorded.TryGetValue(key, out var at) && now - at < RefreshAfter) return;
        await tables.Members.UpsertEntityAsync(new MemberEntity { PartitionKey = user.Unit, RowKey = user.Id, Role = user.Role, Name = user.Name, LastSeen = now },
            TableUpdateMode.Replace, cancellationToken);
        _recorded[key] = now;
    }

    public async Task<IReadOnlyList<string>> OfficialsAsync(string unit, IReadOnlyCollection<string> roles, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var m in tables.Members.QueryAsync<MemberEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {unit}"), cancellationToken: cancellationToken))
        {
            if (roles.Contains(m.Role)) ids.Add(m.RowKey);
        }
        return ids;
    }
}
