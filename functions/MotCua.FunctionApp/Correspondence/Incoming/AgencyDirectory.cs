using Azure.Data.Tables;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>
/// The names reports print for one agency: its own and its departments' (from the catalogue), and its
/// officials' (from the member directory, which knows those who have signed in). Someone the
/// directory does not know is shown by their identifier.
/// </summary>
public sealed class AgencyDirectory
{
    private readonly IReadOnlyDictionary<string, Unit> _units;
    private readonly Dictionary<string, MemberEntity> _officials;

    private AgencyDirectory(string agency, IReadOnlyDictionary<string, Unit> units, Dictionary<string, MemberEntity> officials)
    {
        Agency = agency;
        _units = units;
        _officials = officials;
    }

    public string Agency { get; }

    public string AgencyName => _units.TryGetValue(Agency, out var unit) ? unit.Name : Agency;

    /// <summary>A unit's or an official's name.</summary>
    public string NameOf(string who) =>
        _units.TryGetValue(who, out var unit) ? unit.Name : _officials.TryGetValue(who, out var official) ? official.Name : who;

    /// <summary>The unit an official works in (the agency or one of its departments), when the directory knows them.</summary>
    public string? UnitOf(string official) => _officials.TryGetValue(official, out var m) ? m.PartitionKey : null;

    public static async Task<AgencyDirectory> LoadAsync(string agency, ProcedureCatalog catalog, MotCuaTables tables, CancellationToken cancellationToken)
    {
        var units = await catalog.UnitsAsync(cancellationToken);
        var officials = new Dictionary<string, MemberEntity>(StringComparer.Ordinal);
        foreach (var unit in units.Values.Where(u => u.AgencyCode == agency || (u.IsDepartment && AgencyOf(u, units) == agency)).Select(u => u.AgencyCode))
        {
            await foreach (var m in tables.Members.QueryAsync<MemberEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {unit}"), cancellationToken: cancellationToken))
            {
                // An official known in several units (moved) is named by the row seen last.
                if (!officials.TryGetValue(m.RowKey, out var seen) || seen.LastSeen < m.LastSeen) officials[m.RowKey] = m;
            }
        }
        return new AgencyDirectory(agency, units, officials);
    }

    private static string? AgencyOf(Unit unit, IReadOnlyDictionary<string, Unit> units)
    {
        var current = unit;
        for (var depth = 0; current is { IsDepartment: true, Parent: { } parent } && depth < 16; depth++) current = units.GetValueOrDefault(parent);
        return current?.AgencyCode;
    }
}
