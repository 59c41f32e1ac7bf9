using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MotCua.Domain.Documents;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Documents.Signatures;
using MotCua.FunctionApp.Documents.Text;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Forms;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;

namespace MotCua.Benchmarks;

/// <summary>
/// Documents, each figure a ratio measured in one run against the bare tool on the same input:
///   signatures [files=40] [kilobytes=1024] [seconds=10]  verifications/s vs bare SignedCms
///   ocr [pages=8] [workers=2]                           OCR pages/s vs the bare tesseract command, with character error rate
///   memory [megabytes=100]                              peak memory growth while a large signed PDF goes through every step
///   latency [documents=20]                              upload answered to last stage, a PNG scan and a two-page scanned PDF, vs bare tesseract
/// </summary>
internal static class DocumentBenchmarks
{
    private static readonly string[] Lines =
    [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY XÁC NHẬN CƯ TRÚ",
        "Họ và tên: Nguyễn Thị Hoa",
        "Ngày sinh: 12/03/1990",
        "Số định danh cá nhân: 001190012345",
        "Nơi thường trú: Số 12 Trần Phú, Phường Điện Biên, Quận Ba Đình, Hà Nội",
        "Nơi ở hiện tại: Tổ 5, Phường Lộc Thọ, Thành phố Nha Trang, Khánh Hòa",
        "Quan hệ với chủ hộ: Con",
        "Giấy xác nhận có giá trị đến ngày 31/12/2026.",
        "Trưởng Công an phường ký tên và đóng dấu.",
    ];

    public static async Task<int> RunAsync(string[] args) => args switch
    {
        ["signatures", .. var rest] => await SignaturesAsync(Arg(rest, 0, 40), Arg(rest, 1, 1024), Arg(rest, 2, 10)),
        ["ocr", .. var rest] => await OcrAsync(Arg(rest, 0, 8), Arg(rest, 1, 2)),
        ["memory", .. var rest] => await MemoryAsync(Arg(rest, 0, 100)),
        ["latency", .. var rest] => await LatencyAsync(Arg(rest, 0, 20)),
        ["make-large-pdf", var path, var megabytes] => MakeLargePdf(path, int.Parse(megabytes)),
        _ => Usage(),
    };

    private static int Arg(string[] args, int index, int fallback) => args.Length > index ? int.Parse(args[index]) : fallback;

    private static int Usage()
    {
        Console.Error.WriteLine("documents signatures|ocr|memory [...]");
        return 2;
    }

    private static async Task<int> SignaturesAsync(int fileCount, int kilobytes, int seconds)
    {
        var now = DateTimeOffset.UtcNow;
        using var pki = TestPki.Create(now);
        var folder = Directory.CreateTempSubdirectory("motcua-bench-sig-").FullName;
        pki.WriteTrustFolder(Path.Combine(folder, "trust"));
        var signer = pki.IssueSigner("CN=Nguyễn Văn An, C=VN", now.AddYears(-1), now.AddYears(1));
        var files = new List<(string Path, long[] Range)>();
        for (var i = 0; i < fileCount; i++)
        {
            var pdf = SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(["To khai so " + i], paddingBytes: kilobytes * 1024), signer,
                new PdfSignatureOptions { SubFilter = PdfSubFilter.EtsiCadesDetached, SigningTime = now });
            var path = Path.Combine(folder, $"{i}.pdf");
            await File.WriteAllBytesAsync(path, pdf);
            files.Add((path, SignedPdfBuilder.ReadSignatures(pdf)[0].ByteRange));
        }

        var options = Options.Create(new SignatureOptions { TrustFolder = Path.Combine(folder, "trust") });
        var verifier = new DocumentSignatureVerifier(new TrustStore(options, new BlobServiceClient("UseDevelopmentStorage=true"), TimeProvider.System,
            NullLogger<TrustStore>.Instance), TimeProvider.System, options);

        // The bare baseline is told where the signature is: it reads the signed ranges and the
        // contents into memory and checks the CMS signature, nothing else (no chain, no scan).
        async Task Bare(int i)
        {
            var (path, range) = files[i % files.Count];
            var bytes = await File.ReadAllBytesAsync(path);
            var signed = new byte[range[1] + range[3]];
            bytes.AsSpan(0, (int)range[1]).CopyTo(signed);
            bytes.AsSpan((int)range[2], (int)range[3]).CopyTo(signed.AsSpan((int)range[1]));
            var padded = Convert.FromHexString(Encoding.ASCII.GetString(bytes, (int)range[1] + 1, (int)(range[2] - range[1] - 2)));
            System.Formats.Asn1.AsnDecoder.ReadEncodedValue(padded, System.Formats.Asn1.AsnEncodingRules.BER, out _, out _, out var length);
            var cms = new SignedCms(new ContentInfo(signed), detached: true);
            cms.Decode(padded.AsSpan(0, length));
            cms.CheckSignature(verifySignatureOnly: true);
        }

        async Task Ours(int i)
        {
            var result = await verifier.VerifyPdfAsync(files[i % files.Count].Path, CancellationToken.None);
            if (result.Verdict != SignatureVerdict.Valid) throw new InvalidOperationException($"Verdict {result.Verdict}");
        }

        await Measure("warm-up bare", Bare, 2);
        await Measure("warm-up ours", Ours, 2);
        var bare = await Measure("bare SignedCms", Bare, seconds);
        var ours = await Measure("MotCua verifier", Ours, seconds);
        Console.WriteLine($"signatures: {kilobytes} KB files, ours {ours:F1}/s, bare {bare:F1}/s, ratio {ours / bare:F2}");
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    /// <summary>Sequential loop for <paramref name="seconds"/>; returns operations per second.</summary>
    private static async Task<double> Measure(string name, Func<int, Task> operation, int seconds)
    {
        var watch = Stopwatch.StartNew();
        var count = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(seconds)) await operation(count++);
        var rate = count / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"  {name}: {count} in {watch.Elapsed.TotalSeconds:F1} s = {rate:F1}/s");
        return rate;
    }

    private static async Task<int> OcrAsync(int pageCount, int workers)
    {
        var folder = Directory.CreateTempSubdirectory("motcua-bench-ocr-").FullName;
        var fonts = FormFonts.Load("/usr/share/fonts/truetype/dejavu");
        var pages = new List<(string Image, string Truth)>();
        for (var i = 0; i < pageCount; i++)
        {
            // Each page a different arrangement, so no page is an exact repeat.
            var lines = Lines.Skip(i % 3).Concat(Lines.Take(i % 3)).Select(l => l.Replace("12", (12 + i).ToString())).ToArray();
            using var writer = new PdfFormWriter(fonts);
            foreach (var line in lines) writer.Line(line, 12);
            var pdf = Path.Combine(folder, $"{i}.pdf");
            await File.WriteAllBytesAsync(pdf, writer.Build());
            await Run("pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", pdf, Path.Combine(folder, $"page-{i}"));
            pages.Add((Path.Combine(folder, $"page-{i}.png"), string.Join('\n', lines)));
        }

        var textOptions = Options.Create(new TextOptions { OcrWorkers = workers });
        var reader = new DocumentTextReader(new TesseractOcr(textOptions), new OfficeTextReader(textOptions), new ScannedPageImages(textOptions), textOptions);

        async Task<double> Pool(Func<int, Task> work)
        {
            var watch = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < pages.Count) await work(i);
            }));
            return pages.Count / watch.Elapsed.TotalSeconds;
        }

        var bareTexts = new string[pages.Count];
        var ourTexts = new string[pages.Count];
        await Pool(async i => bareTexts[i] = await Run("tesseract", pages[i].Image, "-", "-l", "vie")); // warm-up
        var bare = await Pool(async i => bareTexts[i] = await Run("tesseract", pages[i].Image, "-", "-l", "vie"));
        var ours = await Pool(async i =>
        {
            var work = Directory.CreateTempSubdirectory("motcua-bench-page-").FullName;
            var text = await reader.ReadAsync(pages[i].Image, DocumentKind.Png, work, CancellationToken.None);
            ourTexts[i] = string.Join('\n', text.Pages.Select(p => p.Text));
            Directory.Delete(work, recursive: true);
        });
        var cer = pages.Select((p, i) => CharacterErrorRate(p.Truth, ourTexts[i])).Average();
        var bareCer = pages.Select((p, i) => CharacterErrorRate(p.Truth, bareTexts[i])).Average();
        Console.WriteLine($"ocr: {pageCount} pages at 300 dpi, {workers} workers, ours {ours:F2} pages/s, bare tesseract {bare:F2} pages/s, ratio {ours / bare:F2}; "
            + $"character error rate ours {cer:P2}, bare {bareCer:P2}");
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    /// <summary>
    /// One document at a time, standalone on Storage queues: the clock starts when the upload is answered
    /// and stops when the document's row reaches its last stage (polled every 5 ms). The bound is the bare
    /// work on the same files in the same run: a signature check (the file scanned for a signature
    /// dictionary, as an unsigned file needs), each page image got the cheapest correct way (the PNG as
    /// it is; a scanned PDF page's embedded JPEG, taken out by PdfPig) and read by bare <c>tesseract</c>
    /// with <c>OMP_THREAD_LIMIT=1</c>, one page after another. The text the app stored is compared with
    /// the words on the page (character error rate).
    /// </summary>
    private static async Task<int> LatencyAsync(int count)
    {
        var folder = Directory.CreateTempSubdirectory("motcua-bench-latency-").FullName;
        var fonts = FormFonts.Load("/usr/share/fonts/truetype/dejavu");
        async Task<string> Render(string[] lines, string name, bool jpeg)
        {
            using var writer = new PdfFormWriter(fonts);
            foreach (var line in lines) writer.Line(line, 12);
            var pdf = Path.Combine(folder, name + ".pdf");
            await File.WriteAllBytesAsync(pdf, writer.Build());
            await Run("pdftoppm", ["-r", "300", "-gray", jpeg ? "-jpeg" : "-png", "-singlefile", pdf, Path.Combine(folder, name)]);
            return Path.Combine(folder, name + (jpeg ? ".jpg" : ".png"));
        }
        string[] Page(int i) => Lines.Skip(i % 3).Concat(Lines.Take(i % 3)).Select(l => l.Replace("12", (12 + i).ToString())).ToArray();

        // A one-page scan as a PNG; a two-page scan as a PDF whose pages are each one 300 dpi JPEG, as a scanner writes them.
        var png = await Render(Page(0), "scan", jpeg: false);
        var jpegs = new[] { await Render(Page(1), "p1", jpeg: true), await Render(Page(2), "p2", jpeg: true) };
        var scannedPdf = Path.Combine(folder, "scan.pdf");
        var builder = new UglyToad.PdfPig.Writer.PdfDocumentBuilder();
        foreach (var jpeg in jpegs)
        {
            var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
            page.AddJpeg(await File.ReadAllBytesAsync(jpeg), new UglyToad.PdfPig.Core.PdfRectangle(0, 0, page.PageSize.Width, page.PageSize.Height));
        }
        await File.WriteAllBytesAsync(scannedPdf, builder.Build());
        var cases = new[]
        {
            (Name: "PNG scan, 1 page", Path: png, ContentType: "image/png", FileName: "scan.png", Truth: new[] { string.Join('\n', Page(0)) }),
            (Name: "scanned PDF, 2 pages", Path: scannedPdf, ContentType: "application/pdf", FileName: "scan.pdf",
                Truth: new[] { string.Join('\n', Page(1)), string.Join('\n', Page(2)) }),
        };

        await using var bench = await BenchmarkApp.StartAsync("l", "citizen-001", mode: "Standalone");
        var tables = bench.App.Services.GetRequiredService<MotCua.FunctionApp.Storage.MotCuaTables>();

        async Task<(double Seconds, double Cer)> Ours((string Name, string Path, string ContentType, string FileName, string[] Truth) c)
        {
            using var form = new MultipartFormDataContent();
            form.Add(new StringContent(JsonSerializer.Serialize(new
            {
                procedureCode = "1.001193",
                receivingUnit = DemoData.NhaTrangWard,
                applicant = new { fullName = "Nguyễn Thị Hoa", idNumber = "001190012345" },
            }), Encoding.UTF8, "application/json"), "dossier");
            await using var file = File.OpenRead(c.Path);
            var content = new StreamContent(file, 81920);
            content.Headers.ContentType = new MediaTypeHeaderValue(c.ContentType);
            form.Add(content, "document", c.FileName);
            using var response = await bench.Http.PostAsync("/api/dossiers", form);
            if ((int)response.StatusCode != 201) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            var watch = Stopwatch.StartNew();
            var code = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString()!;
            var dossierId = (await tables.Dossiers.GetEntityAsync<DossierEntity>(code, DossierRows.Dossier)).Value.DossierId;
            while (true)
            {
                var rows = new List<DocumentEntity>();
                await foreach (var d in tables.Documents.QueryAsync<DocumentEntity>(x => x.PartitionKey == dossierId)) rows.Add(d);
                if (rows.Count == 1 && rows[0].Stage == MotCua.FunctionApp.Documents.DocumentStages.Recorded)
                {
                    var seconds = watch.Elapsed.TotalSeconds;
                    if (rows[0].FailureCode is { } failure) throw new InvalidOperationException($"{c.Name}: {failure} {rows[0].FailureDetail}");
                    var pages = new List<PageEntity>();
                    await foreach (var p in tables.Pages.QueryAsync<PageEntity>(x => x.PartitionKey == rows[0].RowKey)) pages.Add(p);
                    var cer = c.Truth.Select((t, i) => CharacterErrorRate(t, pages.SingleOrDefault(p => p.Number == i + 1)?.Text ?? "")).Average();
                    return (seconds, cer);
                }
                await Task.Delay(5);
            }
        }

        async Task<double> Bare((string Name, string Path, string ContentType, string FileName, string[] Truth) c)
        {
            var watch = Stopwatch.StartNew();
            await BareSignatureCheckAsync(c.Path);
            if (c.ContentType == "image/png")
            {
                await Run("tesseract", c.Path, "-", "-l", "vie");
            }
            else
            {
                var work = Directory.CreateTempSubdirectory("motcua-bench-bare-").FullName;
                using (var document = UglyToad.PdfPig.PdfDocument.Open(c.Path))
                {
                    foreach (var page in document.GetPages())
                    {
                        var image = Path.Combine(work, $"{page.Number}.jpg");
                        await File.WriteAllBytesAsync(image, page.GetImages().Single().RawMemory);
                        await Run("tesseract", image, "-", "-l", "vie");
                    }
                }
                Directory.Delete(work, recursive: true);
            }
            return watch.Elapsed.TotalSeconds;
        }

        foreach (var c in cases)
        {
            await Ours(c); // warm-up: the code paths and the pumps
            await Bare(c);
        }
        Console.WriteLine($"latency: {count} documents of each kind, one at a time, standalone on Storage queues, {Environment.ProcessorCount} cores");
        Console.WriteLine("| document | MotCua median s | MotCua p95 s | bare median s | bare p95 s | median ratio | p95 / bare median | character error rate |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in cases)
        {
            var ours = new List<double>();
            var bare = new List<double>();
            var cers = new List<double>();
            for (var i = 0; i < count; i++)
            {
                // Taken in turn, so contention from others on the machine falls on both sides alike.
                var (seconds, cer) = await Ours(c);
                ours.Add(seconds);
                cers.Add(cer);
                bare.Add(await Bare(c));
            }
            double Median(List<double> x) => x.Order().ElementAt(x.Count / 2);
            double P95(List<double> x) => x.Order().ElementAt(Math.Min(x.Count - 1, (int)Math.Ceiling(x.Count * 0.95) - 1));
            Console.WriteLine($"| {c.Name} | {Median(ours):F2} | {P95(ours):F2} | {Median(bare):F2} | {P95(bare):F2} | **{Median(ours) / Median(bare):F2}** | {P95(ours) / Median(bare):F2} | {cers.Average():P2} |");
        }
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    /// <summary>What checking an unsigned file's signatures needs at least: reading it through for a signature dictionary.</summary>
    private static async Task BareSignatureCheckAsync(string path)
    {
        var buffer = new byte[128 * 1024];
        await using var file = File.OpenRead(path);
        int read;
        var found = false;
        while ((read = await file.ReadAsync(buffer)) > 0) found |= buffer.AsSpan(0, read).IndexOf("/ByteRange"u8) >= 0;
        if (found) throw new InvalidOperationException("The benchmark's scans are unsigned.");
    }

    /// <summary>Edit distance over characters, whitespace runs counted as one space, divided by the truth's length.</summary>
    private static double CharacterErrorRate(string truth, string read)
    {
        static string Squash(string s) => string.Join(' ', s.Normalize(NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var (a, b) = (Squash(truth), Squash(read));
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return (double)previous[b.Length] / a.Length;
    }

    private static int MakeLargePdf(string path, int megabytes)
    {
        var now = DateTimeOffset.UtcNow;
        using var pki = TestPki.Create(now);
        var signer = pki.IssueSigner("CN=Nguyễn Văn An, C=VN", now.AddYears(-1), now.AddYears(1));
        var lines = Lines.Select(l => VietnameseAscii(l)).ToList();
        File.WriteAllBytes(path, SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(lines, pages: 20, paddingBytes: megabytes * 1024 * 1024), signer,
            new PdfSignatureOptions { SubFilter = PdfSubFilter.EtsiCadesDetached, SigningTime = now }));
        pki.WriteTrustFolder(path + ".trust");
        return 0;
    }

    private static string VietnameseAscii(string line) => MotCua.Domain.Text.VietnameseText.Fold(line).ToUpperInvariant();

    /// <summary>
    /// A large signed PDF, made by a child process so its bytes never sit in this one, goes up
    /// through the API, then through every step; this process's resident memory is sampled throughout.
    /// </summary>
    private static async Task<int> MemoryAsync(int megabytes)
    {
        var folder = Directory.CreateTempSubdirectory("motcua-bench-mem-").FullName;
        var path = Path.Combine(folder, "large.pdf");
        var self = Environment.ProcessPath!;
        var entry = typeof(DocumentBenchmarks).Assembly.Location;
        await Run(self, self.EndsWith("dotnet", StringComparison.Ordinal) ? [entry, "documents", "make-large-pdf", path, megabytes.ToString()] : ["documents", "make-large-pdf", path, megabytes.ToString()]);

        await using var bench = await BenchmarkApp.StartAsync("m", "citizen-001", mode: "Standalone", settings: new Dictionary<string, string?>
        {
            ["Signatures:TrustFolder"] = path + ".trust",
            ["Documents:MaxFileBytes"] = ((long)(megabytes + 10) * 1024 * 1024).ToString(),
        });
        // Warm up every step with a small document, so the baseline includes the code and pools the large one reuses.
        await SubmitAndWaitAsync(bench, SignedPdfBuilder.CreatePdf(["khoi dong"]));
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        await Task.Delay(500);
        var baseline = ResidentBytes();
        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, ResidentBytes());
                await Task.Delay(10);
            }
        });
        var watch = Stopwatch.StartNew();
        var dossier = await SubmitAndWaitAsync(bench, path);
        var elapsed = watch.Elapsed;
        sampling.Cancel();
        await sampler;
        var document = dossier.Documents.Single();
        Console.WriteLine($"memory: {new FileInfo(path).Length / 1048576.0:F1} MB signed PDF uploaded, verified ({document.SignatureVerdict}), "
            + $"{document.Pages} pages read, indexed and recorded in {elapsed.TotalSeconds:F1} s; resident memory {baseline / 1048576.0:F0} MB before, "
            + $"peak {peak / 1048576.0:F0} MB, growth {(peak - baseline) / 1048576.0:F1} MB");
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    private static Task<DossierView> SubmitAndWaitAsync(BenchmarkApp bench, byte[] pdf)
    {
        var path = Path.GetTempFileName();
        File.WriteAllBytes(path, pdf);
        return SubmitAndWaitAsync(bench, path);
    }

    private static async Task<DossierView> SubmitAndWaitAsync(BenchmarkApp bench, string path)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(JsonSerializer.Serialize(new
        {
            procedureCode = "1.001193",
            receivingUnit = DemoData.NhaTrangWard,
            applicant = new { fullName = "Nguyễn Thị Hoa", idNumber = "001190012345" },
        }), Encoding.UTF8, "application/json"), "dossier");
        await using var file = File.OpenRead(path);
        var content = new StreamContent(file, 81920);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(content, "document", "large.pdf");
        using var response = await bench.Http.PostAsync("/api/dossiers", form);
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var code = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString()!;
        var clerk = bench.App.Services.GetRequiredService<MotCua.FunctionApp.Auth.LocalTokens>().Issue(DemoData.Users.Single(u => u.Id == "clerk-001"), TimeSpan.FromHours(1));
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/dossiers/{code}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", clerk);
            using var answer = await bench.Http.SendAsync(request);
            var view = JsonSerializer.Deserialize<DossierView>(await answer.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
            if (view.DocumentChecks.Recorded == view.DocumentChecks.Documents) return view;
            await Task.Delay(100);
        }
    }

    private static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return 0;
    }

    private static async Task<string> Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["OMP_THREAD_LIMIT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed: {await error}");
        return await output;
    }
}
