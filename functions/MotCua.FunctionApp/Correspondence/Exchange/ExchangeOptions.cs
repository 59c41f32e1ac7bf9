using MotCua.FunctionApp.Correspondence.Exchange.Edxml;

namespace MotCua.FunctionApp.Correspondence.Exchange;

/// <summary>
/// The connection to a document exchange (the national axis, a provincial exchange, or the local one):
/// off until <see cref="Endpoint"/> is set. Over HTTPS the agency's client certificate identifies the
/// system; <see cref="SystemId"/> names it to an exchange without one (the local exchange over HTTP).
/// </summary>
public sealed class ExchangeOptions
{
    public const string Section = "Exchange";

    public Uri? Endpoint { get; set; }
    public string? SystemId { get; set; }
    public string? ClientCertificatePath { get; set; }
    public string? ClientCertificatePassword { get; set; }
    /// <summary>Where the exchange's own certificate chains to, when it is not a publicly trusted one (a PEM or DER file).</summary>
    public string? ServerCertificateAuthorityPath { get; set; }
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);
    /// <summary>How long the agency list is kept before it is read again.</summary>
    public TimeSpan DirectoryRefresh { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Packages fetched per pull, at most.</summary>
    public int PullBatch { get; set; } = 20;
    public long MaxPackageBytes { get; set; } = 300L * 1024 * 1024;
    public int MaxAttachments { get; set; } = 20;

    public bool Enabled => Endpoint is not null;

    public EdxmlLimits Limits => new(MaxPackageBytes, MaxAttachments: MaxAttachments);
}
