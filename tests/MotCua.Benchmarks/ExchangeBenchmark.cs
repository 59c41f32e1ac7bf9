using System.Diagnostics;
using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Azure;
using Azure.Data.Tables;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using MotCua.DemoServices;
using MotCua.FunctionApp.Correspondence.Exchange;
using MotCua.FunctionApp.Correspondence.Exchange.Edxml;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Documents.Signatures;
using MotCua.FunctionApp.Storage;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.Signing;
using MotCua.Signing.Keys;

namespace MotCua.Benchmarks;

/// <summary>
/// Receiving edXML packages from the document exchange, in one run:
/// 1. packages per second through <see cref="ExchangeReceiver.ApplyFileAsync"/> (parse, XML signature and chain,
///    the sender in the exchange's agency list, the attachment stored, the incoming document created) plus the
///    PDF signature check the document-processing step makes (<see cref="DocumentSignatureVerifier.VerifyPdfAsync"/>,
///    timed on its own and added: the app runs in custom-handler mode, so no queue consumer runs beside the measurement),
///    each package a new document with a 1 MB seal-signed PDF; against the same work with bare parts on the same
///    package: a plain XmlReader decoding the base64 to a file, SignedXml.CheckSignature, an X509Chain, a bare
///    SignedCms check of the PDF signature, a BlobClient upload and one table batch. One at a time and 4 at once.
/// 2. the memory receiving one package with a large attachment takes.
///   dotnet run -c Release --project tests/MotCua.Benchmarks -- exchange [packages=40] [largeMegabytes=100]
/// </summary>
public static class ExchangeBenchmark
{
    private const string To = DemoData.NhaTrangWard;
    private const string From = DemoData.HomeAffairsDepartment;
    private const string BenchSystem = "motcua-bench";
    private const int Concurrency = 4;

    public static async Task<int> RunAsync(string[] args)
    {
        var packages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 40;
        var largeMegabytes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var folder = Directory.CreateTempSubdirectory("motcua-bench-exchange-").FullName;
        var now = DateTimeOffset.UtcNow;
        using var pki = TestPki.Create(now);
        using var sealCertificate = pki.IssueSigner("CN=Sở Nội vụ tỉnh Khánh Hòa, O=Sở Nội vụ tỉnh Khánh Hòa, C=VN", now.AddYears(-1), now.AddYears(2));
        using var seal = new CertificateHashSigner(sealCertificate, [pki.Intermediate]);
        var trust = Path.Combine(folder, "trust");
        pki.WriteTrustFolder(trust);
        var exchange = new DocumentExchangeState(Path.Combine(folder, "exchange"), TimeProvider.System);
        exchange.Register([
            new DemoServices.ExchangeAgency(To, "Ủy ban nhân dân phường Nha Trang", BenchSystem),
            new DemoServices.ExchangeAgency(From, "Sở Nội vụ tỉnh Khánh Hòa", "motcua-so-noi-vu"),
        ]);
        var (exchangeServer, exchangeAddress) = await LocalServer.StartAsync("http://127.0.0.1:0", a => a.MapDocumentExchange("/exchange", exchange));
        try
        {
            await using var bench = await BenchmarkApp.StartAsync("x", "records-clerk-001", settings: new Dictionary<string, string?>
            {
                ["Signatures:TrustFolder"] = trust,
                ["Exchange:Endpoint"] = new Uri(exchangeAddress, "exchange/").AbsoluteUri,
                ["Exchange:SystemId"] = BenchSystem,
                ["Documents:MaxFileBytes"] = ((long)(largeMegabytes + 10) << 20).ToString(CultureInfo.InvariantCulture),
            });
            Console.WriteLine($"{Environment.ProcessorCount} cores, Azurite on loopback, RSA 2048 seal (XML signature and PDF signature), {packages} packages per side and mode");

            // The attachment: a 1 MB PDF sealed as the sender's system seals it.
            var pdfPath = Path.Combine(folder, "signed.pdf");
            await using (var output = File.Create(pdfPath))
            {
                await PdfSigner.SignAsync(new MemoryStream(SigningBenchmark.MakePdf(1 << 20), writable: false), seal,
                    new PdfSignatureRequest { Certificate = sealCertificate, SigningTime = now, SignerName = "Sở Nội vụ tỉnh Khánh Hòa" }, null, output, CancellationToken.None);
            }
            var pdf = await File.ReadAllBytesAsync(pdfPath);
            var warm = 5;
            var paths = new List<string>();
            for (var i = 0; i < warm + 2 * packages; i++)
                paths.Add(await WritePackageAsync(folder, i, sealCertificate, () => new MemoryStream(pdf, writable: false)));
            Console.WriteLine($"package: {new FileInfo(paths[0]).Length:N0} bytes ({pdf.Length:N0} bytes of signed PDF as base64)");

            var parts = new Parts(bench, pki, pdfPath, folder);
            for (var i = 0; i < warm; i++) { await parts.AppAsync(paths[i]); await parts.RawAsync(paths[i]); }

            // One at a time, app and bare in turn (the order swapping), each package a new document.
            var app = new Timings();
            var raw = new Timings();
            for (var i = 0; i < packages; i++)
            {
                var path = paths[warm + i];
                if (i % 2 == 0) { app.Add(await parts.AppAsync(path)); raw.Add(await parts.RawAsync(path)); }
                else { raw.Add(await parts.RawAsync(path)); app.Add(await parts.AppAsync(path)); }
            }
            var (appMs, rawMs) = (Median(app.Totals), Median(raw.Totals));
            Console.WriteLine($"one at a time: app {1000 / appMs:F1} packages/s (median {appMs:F1} ms), bare {1000 / rawMs:F1}/s (median {rawMs:F1} ms), ratio {rawMs / appMs:F2}");
            Console.WriteLine($"  app, median ms: {app.Describe()}");
            Console.WriteLine($"  bare, median ms: {raw.Describe()}");

            // A few at once, as a pull applies a batch when packages are applied in parallel: wall-clock rates.
            // Two halves, app then bare then bare then app, so drift on the machine hits both sides alike.
            var batch = paths.Skip(warm + packages).ToList();
            var halves = new[] { batch[..(batch.Count / 2)], batch[(batch.Count / 2)..] };
            var (appSeconds, rawSeconds) = (0.0, 0.0);
            foreach (var (half, appFirst) in new[] { (halves[0], true), (halves[1], false) })
            {
                foreach (var isApp in appFirst ? new[] { true, false } : [false, true])
                {
                    var clock = Stopwatch.StartNew();
                    await Parallel.ForEachAsync(half, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (path, _) =>
                    {
                        if (isApp) await parts.AppAsync(path);
                        else await parts.RawAsync(path);
                    });
                    if (isApp) appSeconds += clock.Elapsed.TotalSeconds;
                    else rawSeconds += clock.Elapsed.TotalSeconds;
                }
            }
            var (appRate, rawRate) = (batch.Count / appSeconds, batch.Count / rawSeconds);
            Console.WriteLine($"{Concurrency} at once: app {appRate:F1} packages/s, bare {rawRate:F1}/s, ratio {appRate / rawRate:F2}");

            await LargePackageMemoryAsync(parts, folder, sealCertificate, largeMegabytes);
        }
        finally
        {
            await exchangeServer.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
        return 0;
    }

    private static async Task<string> WritePackageAsync(string folder, int n, X509Certificate2 signer, Func<Stream> attachment, string name = "van-ban.pdf")
    {
        var documentId = $"{From},2026/12/02,{n + 1}/SNV-VP";
        var package = new EdxmlDocumentPackage(
            new EdxmlDocumentHeader(new EdxmlOrgan(From, "Sở Nội vụ tỉnh Khánh Hòa"), [new EdxmlOrgan(To, "Ủy ban nhân dân phường Nha Trang")], documentId,
                (n + 1).ToString(CultureInfo.InvariantCulture), "SNV-VP", "Khánh Hòa", new DateOnly(2026, 12, 2), "Công văn",
                "V/v tổ chức tập huấn chuyển đổi số cho cán bộ cấp xã", null, new EdxmlSigner("KT. GIÁM ĐỐC", "Phó Giám đốc", "Trần Văn Nam"),
                new DateOnly(2026, 12, 15), 1, ["Lưu: VT, VP."], 0, []),
            new EdxmlBusiness(EdxmlBusinessType.New, "Văn bản điện tử mới", documentId, [], "Nguyễn Thị Lan"),
            [new EdxmlAttachment("cid:1", "application/pdf", name, null, null)], DateTimeOffset.UtcNow);
        var path = Path.Combine(folder, $"package-{n}.xml");
        await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 128 * 1024, useAsync: true);
        await EdxmlWriter.WriteDocumentAsync(output, package, (_, _) => Task.FromResult(attachment()), signer, CancellationToken.None);
        return path;
    }

    /// <summary>The app's receiving path and the same work with bare parts.</summary>
    private sealed class Parts
    {
        private readonly ExchangeReceiver _receiver;
        private readonly DocumentSignatureVerifier _verifier;
        private readonly BlobContainerClient _blobs;
        private readonly TableClient _table;
        private readonly X509Certificate2 _root;
        private readonly X509Certificate2 _intermediate;
        private readonly string _pdfPath;
        private readonly string _folder;

        public Parts(BenchmarkApp bench, TestPki pki, string pdfPath, string folder)
        {
            _receiver = bench.App.Services.GetRequiredService<ExchangeReceiver>();
            _verifier = bench.App.Services.GetRequiredService<DocumentSignatureVerifier>();
            _blobs = bench.App.Services.GetRequiredService<BlobContainerClient>();
            _table = bench.App.Services.GetRequiredService<MotCuaTables>().Dossiers;
            (_root, _intermediate, _pdfPath, _folder) = (pki.Root, pki.Intermediate, pdfPath, folder);
        }

        public ExchangeReceiver Receiver => _receiver;

        public async Task<double[]> AppAsync(string path)
        {
            var start = Stopwatch.GetTimestamp();
            var outcome = await _receiver.ApplyFileAsync(new ExchangeDelivery(Guid.NewGuid().ToString("N"), null, From, To, "edoc", DateTimeOffset.UtcNow), path, CancellationToken.None);
            if (outcome is not null) throw new InvalidOperationException($"The package was refused: {outcome}");
            var applied = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
            var signatures = await _verifier.VerifyPdfAsync(_pdfPath, CancellationToken.None);
            if (signatures.Verdict != SignatureVerdict.Valid) throw new InvalidOperationException($"The PDF signature is {signatures.Verdict}.");
            return [applied, Stopwatch.GetElapsedTime(start).TotalMilliseconds];
        }

        public async Task<double[]> RawAsync(string path)
        {
            var times = new double[5];
            var start = Stopwatch.GetTimestamp();
            // 1. One forward pass: the envelope into a document, the attachment's base64 decoded into a file.
            var file = Path.Combine(_folder, $"raw-{Guid.NewGuid():N}");
            var signed = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
            try
            {
                await using (var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 128 * 1024))
                using (var reader = XmlReader.Create(input, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true }))
                {
                    reader.MoveToContent();
                    var root = signed.CreateElement(reader.Prefix, reader.LocalName, reader.NamespaceURI);
                    while (reader.MoveToNextAttribute())
                    {
                        var attribute = signed.CreateAttribute(reader.Prefix, reader.LocalName, reader.NamespaceURI);
                        attribute.Value = reader.Value;
                        root.SetAttributeNode(attribute);
                    }
                    reader.MoveToElement();
                    signed.AppendChild(root);
                    reader.Read();
                    while (!reader.EOF)
                    {
                        if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "edXMLEnvelope") root.AppendChild(signed.ReadNode(reader)!);
                        else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "ContentTransferEncoded")
                        {
                            await using var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 128 * 1024);
                            var buffer = new byte[96 * 1024];
                            int read;
                            while ((read = reader.ReadElementContentAsBase64(buffer, 0, buffer.Length)) > 0) output.Write(buffer, 0, read);
                        }
                        else reader.Read();
                    }
                }
                times[0] = Lap(ref start);

                // 2. The XML signature and the signer's chain to the trusted root.
                var signature = new SignedXml(signed);
                signature.LoadXml((XmlElement)signed.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl)[0]!);
                var certificate = signature.KeyInfo!.OfType<KeyInfoX509Data>().SelectMany(d => d.Certificates!.OfType<X509Certificate2>()).First();
                using (var key = certificate.GetRSAPublicKey()!)
                    if (!signature.CheckSignature(key)) throw new InvalidOperationException("Bare SignedXml refused the package.");
                times[1] = Lap(ref start);
                using (var chain = new X509Chain())
                {
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(_root);
                    chain.ChainPolicy.ExtraStore.Add(_intermediate);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    if (!chain.Build(certificate)) throw new InvalidOperationException("Bare X509Chain refused the signer.");
                }
                times[2] = Lap(ref start);

                // 3. The PDF's signature: the byte ranges hashed, the CMS checked over them.
                BareCheckPdf(await File.ReadAllBytesAsync(_pdfPath));
                times[3] = Lap(ref start);

                // 4. The same bytes stored: one upload from the file, one table batch (document, history, source marker).
                var id = Guid.CreateVersion7().ToString("N");
                await using (var content = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 128 * 1024, FileOptions.Asynchronous))
                {
                    await _blobs.GetBlobClient($"raw/{id}").UploadAsync(content, new BlobUploadOptions
                    {
                        HttpHeaders = new BlobHttpHeaders { ContentType = "application/pdf" },
                        Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                        TransferOptions = new StorageTransferOptions { InitialTransferSize = 4 << 20, MaximumTransferSize = 4 << 20, MaximumConcurrency = 1 },
                    });
                }
                var partition = "RAW-EXCHANGE";
                await _table.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.Add, new TableEntity(partition, $"doc|{id}") { ["Summary"] = "V/v tổ chức tập huấn chuyển đổi số cho cán bộ cấp xã", ["Status"] = 1, ["SenderId"] = From, ["BlobName"] = $"raw/{id}" }),
                    new(TableTransactionActionType.Add, new TableEntity(partition, $"history|{id}|000001") { ["Action"] = "arrived", ["At"] = DateTimeOffset.UtcNow }),
                    new(TableTransactionActionType.Add, new TableEntity(partition, $"source|{id}") { ["DocumentId"] = id }),
                ]);
                times[4] = Lap(ref start);
            }
            finally
            {
                File.Delete(file);
            }
            return times;
        }

        private static double Lap(ref long start)
        {
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
            return elapsed;
        }

        private static void BareCheckPdf(byte[] pdf)
        {
            var at = pdf.AsSpan().LastIndexOf("/ByteRange"u8);
            var open = at + pdf.AsSpan(at).IndexOf((byte)'[');
            var close = open + pdf.AsSpan(open).IndexOf((byte)']');
            var n = Encoding.ASCII.GetString(pdf, open + 1, close - open - 1).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            var der = Convert.FromHexString(pdf.AsSpan(n[1] + 1, n[2] - n[1] - 2).ToArray().Select(b => (char)b).ToArray());
            AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.BER, out _, out _, out var length);
            byte[] covered = [.. pdf.AsSpan(n[0], n[1]), .. pdf.AsSpan(n[2], n[3])];
            var cms = new SignedCms(new ContentInfo(covered), detached: true);
            cms.Decode(der.AsSpan(0, length));
            cms.CheckSignature(verifySignatureOnly: true);
        }
    }

    private sealed class Timings
    {
        private readonly List<double[]> _runs = [];
        public IEnumerable<double> Totals => _runs.Select(r => r.Sum());
        public void Add(double[] run) => _runs.Add(run);

        public string Describe() => _runs[0].Length == 2
            ? $"ApplyFileAsync {Median(_runs.Select(r => r[0])):F1} + DocumentSignatureVerifier {Median(_runs.Select(r => r[1])):F1}"
            : $"XmlReader+base64 to file {Median(_runs.Select(r => r[0])):F1}, SignedXml {Median(_runs.Select(r => r[1])):F1}, X509Chain {Median(_runs.Select(r => r[2])):F1}, " +
              $"SignedCms over the PDF {Median(_runs.Select(r => r[3])):F1}, blob upload + table batch {Median(_runs.Select(r => r[4])):F1}";
    }

    // --- 2. memory while receiving a large package ---

    private static async Task LargePackageMemoryAsync(Parts parts, string folder, X509Certificate2 signer, int megabytes)
    {
        var large = Path.Combine(folder, "large.pdf");
        await using (var file = File.Create(large)) await SigningBenchmark.WritePdfAsync(file, (long)megabytes << 20);
        var package = await WritePackageAsync(folder, 100_000, signer, () => File.OpenRead(large), "van-ban-lon.pdf");
        File.Delete(large);
        var smallPdf = SigningBenchmark.MakePdf(1 << 20);
        var small = await WritePackageAsync(folder, 100_001, signer, () => new MemoryStream(smallPdf, writable: false));
        // The same code paths once on a small package, so the baseline holds the code and pools the large one reuses.
        await parts.Receiver.ApplyFileAsync(new ExchangeDelivery(Guid.NewGuid().ToString("N"), null, From, To, "edoc", DateTimeOffset.UtcNow), small, CancellationToken.None);

        string? outcome = null;
        var peak = await MemoryPeak.MeasureAsync(async () => outcome = await parts.Receiver.ApplyFileAsync(
            new ExchangeDelivery(Guid.NewGuid().ToString("N"), null, From, To, "edoc", DateTimeOffset.UtcNow), package, CancellationToken.None));
        if (outcome is not null) throw new InvalidOperationException($"The large package was refused: {outcome}");
        Console.WriteLine($"{megabytes} MB attachment ({new FileInfo(package).Length:N0} bytes of package) through ApplyFileAsync in {peak.Elapsed.TotalSeconds:F2} s: {peak}");
    }


    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
