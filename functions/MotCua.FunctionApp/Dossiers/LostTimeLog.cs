using System.Text.Json;

namespace MotCua.FunctionApp.Dossiers;

/// <summary>Where a late dossier lost its time: the step, the unit and the official who held it past its share.</summary>
public sealed record LostTime(string Step, string Unit, string Official, DateTimeOffset? DueAt, DateTimeOffset LeftAt);

/// <summary>The dossier row's list of steps left late; the history keeps the same facts, hash-chained.</summary>
public static class LostTimeLog
{
    public static string Append(string? log, LostTime lost) => JsonSerializer.Serialize(Read(log).Append(lost), JsonSerializerOptions.Web);

    public static IReadOnlyList<LostTime> Read(string? log) =>
        string.IsNullOrEmpty(log) ? [] : JsonSerializer.Deserialize<List<LostTime>>(log, JsonSerializerOptions.Web) ?? [];
}
