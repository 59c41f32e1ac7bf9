using System.ComponentModel.DataAnnotations;

namespace MotCua.FunctionApp.Notifications;

public sealed class PushOptions
{
    public const string Section = "Notifications:Fcm";

    /// <summary>A Firebase service-account key file (JSON). Without it, or <see cref="ServiceAccountJson"/>, push is off; the inbox still works.</summary>
    public string? ServiceAccountFile { get; set; }

    public string? ServiceAccountJson { get; set; }

    /// <summary>FCM's API root; a local server stands in for it in tests.</summary>
    public string BaseUrl { get; set; } = "https://fcm.googleapis.com";

    /// <summary>Overrides the key file's <c>token_uri</c>.</summary>
    public string? TokenUri { get; set; }

    [Range(1, 256)]
    public int MaxConcurrency { get; set; } = 16;

    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
