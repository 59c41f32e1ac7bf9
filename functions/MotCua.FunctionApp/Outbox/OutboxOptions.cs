using System.ComponentModel.DataAnnotations;

namespace MotCua.FunctionApp.Outbox;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Messages younger than this are left to the request that wrote them.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SweepAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often one instance scans every dossier for messages no pending mark names.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan FullScanInterval { get; set; } = TimeSpan.FromHours(6);
}
