namespace MotCua.FunctionApp.Problems;

/// <summary>
/// A request the app refuses, said in Vietnamese and English. The exception handler turns it into
/// an RFC 9457 problem response in the caller's language.
/// </summary>
public sealed class ProblemException(
    int status,
    string slug,
    string titleVi,
    string titleEn,
    string? detailVi = null,
    string? detailEn = null,
    IReadOnlyDictionary<string, object?>? extensions = null) : Exception(titleEn)
{
    public int Status { get; } = status;
    public string Type { get; } = "https://motcua.vn/problems/" + slug;
    public string TitleVi { get; } = titleVi;
    public string TitleEn { get; } = titleEn;
    public string? DetailVi { get; } = detailVi;
    public string? DetailEn { get; } = detailEn;
    public IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();

    /// <summary>Sent as <c>Retry-After</c> (whole seconds, rounded up) when the caller should wait before asking again.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
