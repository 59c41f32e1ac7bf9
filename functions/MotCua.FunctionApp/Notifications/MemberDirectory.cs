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

    /// <summary>An official not seen for this long (moved to another unit, left) is no longer notified for this one.</summary>
    public static readonly TimeSpan ForgottenAfter = TimeSpan.FromDays(30);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _recorded = new(StringComparer.Ordinal);

    public async Task RecordAsync(CurrentUser user, CancellationToken cancellationToken)
    {
        if (!user.IsOfficial || user.Unit is null || !IsKey(user.Unit) || !IsKey(user.Id)) return;
        var roles = string.Join(' ', user.AllRoles);
        var key = $"{user.Unit}|{user.Id}|{roles}";
        var now = time.GetUtcNow();
        if (_recorded.TryGetValue(key, out var at) && now - at < RefreshAfter) return;
        await tables.Members.UpsertEntityAsync(new MemberEntity { PartitionKey = user.Unit, RowKey = user.Id, Role = user.Role, Roles = roles, Name = user.Name, LastSeen = now },
            TableUpdateMode.Replace, cancellationToken);
        _recorded[key] = now;
    }

    /// <summary>Table keys refuse / \\ # ? and control characters; a claim holding them is not recorded.</summary>
    private static bool IsKey(string value) => value.Length is > 0 and <= 200 && !value.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));

    /// <summary>The member row of <paramref name="userId"/> in the first of <paramref name="units"/> that has one.</summary>
    public async Task<MemberEntity?> FindAsync(IEnumerable<string> units, string userId, CancellationToken cancellationToken)
    {
        if (!IsKey(userId)) return null;
        foreach (var unit in units)
        {
            var row = await tables.Members.GetEntityIfExistsAsync<MemberEntity>(unit, userId, cancellationToken: cancellationToken);
            if (row.HasValue) return row.Value;
        }
        return null;
    }

    public async Task<IReadOnlyList<string>> OfficialsAsync(string unit, IReadOnlyCollection<string> roles, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var m in tables.Members.QueryAsync<MemberEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {unit}"), cancellationToken: cancellationToken))
        {
            if (m.AllRoles().Any(roles.Contains) && time.GetUtcNow() - m.LastSeen < ForgottenAfter) ids.Add(m.RowKey);
        }
        return ids;
    }
}
