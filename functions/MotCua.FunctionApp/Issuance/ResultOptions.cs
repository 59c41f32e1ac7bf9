using System.ComponentModel.DataAnnotations;

namespace MotCua.FunctionApp.Issuance;

public sealed class ResultOptions
{
    public const string Section = "Results";

    /// <summary>A result PDF larger than this is refused (413).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>A PDF sent to the public check larger than this is refused (413); it is never stored.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxCheckBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>How long a prepared signature waits for the phone's answer.</summary>
    public TimeSpan PreparationLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The public check's address; the QR code on a document is this followed by "/{checkId}": the page /xac-thuc, which a
    /// phone's camera opens in a browser. QR codes printed before carry /api/public/documents, which sends browsers to the page.
    /// </summary>
    [Required]
    public string PublicCheckBaseUrl { get; set; } = "https://motcua.example.vn/xac-thuc";

    public string CheckUrl(string checkId) => $"{PublicCheckBaseUrl.TrimEnd('/')}/{checkId}";
}
