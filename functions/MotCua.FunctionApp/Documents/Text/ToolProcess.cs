using System.Diagnostics;
using System.Text;

namespace MotCua.FunctionApp.Documents.Text;

public sealed record ToolResult(int ExitCode, string Output, string Error, bool TimedOut, bool OutputTruncated);

/// <summary>
/// Runs poppler and tesseract on untrusted files: under an address-space limit (<c>prlimit</c>),
/// with a timeout that kills the whole process tree, and with output read up to a bound.
/// </summary>
public static class ToolProcess
{
    private const string Prlimit = "/usr/bin/prlimit";
    private static readonly bool CanLimit = File.Exists(Prlimit);

    public static async Task<ToolResult> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout, int memoryMegabytes,
        int maxOutputChars, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo
        {
            FileName = CanLimit ? Prlimit : tool,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        if (CanLimit)
        {
            start.ArgumentList.Add($"--as={(long)memoryMegabytes * 1024 * 1024}");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(tool);
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var output = ReadBoundedAsync(process.StandardOutput, maxOutputChars);
        var error = ReadBoundedAsync(process.StandardError, 4096);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            Kill(process);
            if (!timedOut) throw;
        }
        var (text, truncated) = await output;
        if (truncated) Kill(process);
        var (errorText, _) = await error;
        if (!process.HasExited) await process.WaitForExitAsync(CancellationToken.None);
        return new ToolResult(timedOut ? -1 : process.ExitCode, text, errorText, timedOut, truncated);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Keeps the first <paramref name="maxChars"/> and drains the rest, so the tool never blocks on a full pipe.</summary>
    private static async Task<(string Text, bool Truncated)> ReadBoundedAsync(StreamReader reader, int maxChars)
    {
        var builder = new StringBuilder();
        var buffer = new char[8192];
        var truncated = false;
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            var keep = Math.Min(read, maxChars - builder.Length);
            if (keep > 0) builder.Append(buffer, 0, keep);
            if (keep < read) truncated = true;
        }
        return (builder.ToString(), truncated);
    }
}
