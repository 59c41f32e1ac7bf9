using System.Diagnostics;

namespace MotCua.FunctionApp.Tests.Infrastructure.Signing;

/// <summary>One "Signature #n" block of pdfsig's report; null where pdfsig printed no such line.</summary>
public sealed record PdfsigSignature(
    int Number,
    string? FieldName,
    string? SignerCommonName,
    string? SignerDistinguishedName,
    string? SigningTime,
    string? HashAlgorithm,
    string? SignatureType,
    string? SignedRanges,
    bool? TotalDocumentSigned,
    string? SignatureValidation,
    string? CertificateValidation);

public sealed record PdfsigReport(int ExitCode, string Output, string Error, IReadOnlyList<PdfsigSignature> Signatures);

/// <summary>
/// poppler's pdfsig as an independent verifier (NSS underneath), so fixtures are proven acceptable to
/// software other than the code under test.
/// </summary>
public static class Pdfsig
{
    /// <summary>
    /// Runs <c>pdfsig -no-ocsp</c> (never reaches the network). pdfsig exits nonzero for unsigned files and
    /// untrusted chains, so the exit code is reported, not thrown.
    /// </summary>
    public static async Task<PdfsigReport> RunAsync(string path, bool skipCertificateValidation = false, string? nssDir = null)
    {
        var start = new ProcessStartInfo("pdfsig") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-no-ocsp");
        if (skipCertificateValidation) start.ArgumentList.Add("-nocert");
        if (nssDir is not null)
        {
            start.ArgumentList.Add("-nssdir");
            start.ArgumentList.Add(nssDir);
        }
        start.ArgumentList.Add(path);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("pdfsig did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await output;
        return new PdfsigReport(process.ExitCode, text, await error, Parse(text));
    }

    public static async Task<PdfsigReport> RunAsync(byte[] pdf, bool skipCertificateValidation = false)
    {
        var path = Path.Combine(Path.GetTempPath(), $"motcua-pdfsig-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            return await RunAsync(path, skipCertificateValidation);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Parses lines such as "  - Signature Validation: Signature is Valid." grouped under "Signature #n:".</summary>
    public static IReadOnlyList<PdfsigSignature> Parse(string output)
    {
        var signatures = new List<PdfsigSignature>();
        Dictionary<string, string>? fields = null;
        bool? total = null;
        var number = 0;

        void Flush()
        {
            if (fields is null) return;
            signatures.Add(new PdfsigSignature(
                number,
                fields.GetValueOrDefault("Signature Field Name"),
                fields.GetValueOrDefault("Signer Certificate Common Name"),
                fields.GetValueOrDefault("Signer full Distinguished Name"),
                fields.GetValueOrDefault("Signing Time"),
                fields.GetValueOrDefault("Signing Hash Algorithm"),
                fields.GetValueOrDefault("Signature Type"),
                fields.GetValueOrDefault("Signed Ranges"),
                total,
                fields.GetValueOrDefault("Signature Validation"),
                fields.GetValueOrDefault("Certificate Validation")));
        }

        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("Signature #", StringComparison.Ordinal) && line.EndsWith(':'))
            {
                Flush();
                fields = [];
                total = null;
                number = int.Parse(line["Signature #".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
                continue;
            }
            if (fields is null || !line.StartsWith("- ", StringComparison.Ordinal)) continue;
            var entry = line[2..];
            if (entry == "Total document signed") total = true;
            else if (entry == "Not total document signed") total = false;
            else if (entry.IndexOf(": ", StringComparison.Ordinal) is var colon and > 0)
                fields[entry[..colon]] = entry[(colon + 2)..].Trim();
        }
        Flush();
        return signatures;
    }
}
