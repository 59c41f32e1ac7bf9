using System.Globalization;

namespace MotCua.FunctionApp.Hosting;

/// <summary>Versions travel as ETags: <c>"7"</c> (a weak <c>W/"7"</c> is read the same).</summary>
public static class IfMatch
{
    public static string ETagOf(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The version the If-Match header names, or null when there is none or it is not a version.</summary>
    public static int? Version(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.StartsWith("W/", StringComparison.Ordinal)) header = header[2..];
        return header.Length > 2 && header[0] == '"' && header[^1] == '"'
            && int.TryParse(header[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;
    }
}
