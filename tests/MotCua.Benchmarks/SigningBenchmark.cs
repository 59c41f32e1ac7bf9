using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MotCua.DemoServices;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.Signing;
using MotCua.Signing.Appearance;
using MotCua.Signing.Keys;
using MotCua.Signing.Timestamps;

namespace MotCua.Benchmarks;

/// <summary>
/// The PAdES signer and the result flow, in one run:
/// 1. seal signatures per second on a 1 MB PDF with <see cref="PdfSigner.SignAsync"/> against a bare
///    <see cref="SignedCms.ComputeSignature(CmsSigner, bool)"/> over the same byte ranges, same RSA 2048 key;
/// 2. what a time-stamp from a local RFC 3161 authority and what a visible signature block (seal and
///    signature images, QR mark) add to one signature;
/// 3. the memory signing a 100 MB PDF from a file to a file takes;
/// 4. the time from the clerk's finish to the sealed result the citizen can read, through the app.
///   dotnet run -c Release --project tests/MotCua.Benchmarks -- signing [dossiers=20] [rounds=5] [largeMegabytes=100]
/// </summary>
public static class SigningBenchmark
{
    private const int PadBytes = 1 << 20;
    private static readonly TimeSpan RoundLength = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(string[] args)
    {
        var dossiers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var largeMegabytes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
        var now = DateTimeOffset.UtcNow;
        using var pki = TestPki.Create(now);
        using var seal = new CertificateHashSigner(
            pki.IssueSigner("CN=UBND phường Nha Trang, O=UBND phường Nha Trang, C=VN", now.AddYears(-1), now.AddYears(2)), [pki.Intermediate]);
        Console.WriteLine($"{Environment.ProcessorCount} cores, RSA 2048 seal key, {rounds} rounds of {RoundLength.TotalSeconds:0} s per side");

        await ThroughputAsync(seal, rounds);
        await AddedCostsAsync(seal, pki);
        await LargeFileMemoryAsync(seal, largeMegabytes);
        await ResultFlowAsync(pki, dossiers);
        return 0;
    }

    // --- 1. seal signatures per second against bare SignedCms ---

    private static async Task ThroughputAsync(CertificateHashSigner seal, int rounds)
    {
        var pdf = MakePdf(PadBytes);
        var request = new PdfSignatureRequest { Certificate = seal.Certificate, SigningTime = DateTimeOffset.UtcNow, SignerName = "UBND phường Nha Trang" };
        // The byte ranges a signature covers: the signed file minus its /Contents gap.
        using var signed = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(pdf, writable: false), seal, request, null, signed, CancellationToken.None);
        var covered = CoveredBytes(signed.ToArray());
        using var rsa = seal.Certificate.GetRSAPrivateKey()!;

        Task Ours() => PdfSigner.SignAsync(new MemoryStream(pdf, writable: false), seal, request, null, Stream.Null, CancellationToken.None);
        Task Bare()
        {
            // The covered bytes gathered as a reader would, then a detached CMS with signed attributes over them.
            var content = new byte[covered.Length];
            new MemoryStream(covered, writable: false).ReadExactly(content);
            var cms = new SignedCms(new ContentInfo(content), detached: true);
            var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, seal.Certificate, rsa)
            {
                DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),
                IncludeOption = X509IncludeOption.EndCertOnly,
            };
            signer.SignedAttributes.Add(new Pkcs9SigningTime(DateTime.UtcNow));
            cms.ComputeSignature(signer, silent: true);
            var encoded = cms.Encode();
            Stream.Null.Write(content);
            Stream.Null.Write(encoded);
            return Task.CompletedTask;
        }

        for (var i = 0; i < 30; i++) { await Ours(); await Bare(); }
        var ratios = new List<double>();
        var oursMs = new List<double>();
        var bareMs = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            // One of each in turn, the order swapping, so load from elsewhere on the machine hits both sides alike.
            var (ours, bare) = (new List<double>(), new List<double>());
            for (var clock = Stopwatch.StartNew(); clock.Elapsed < 2 * RoundLength;)
            {
                Func<Task> oursOnce = Ours, bareOnce = Bare;
                foreach (var (operation, times) in ours.Count % 2 == 0 ? new[] { (oursOnce, ours), (bareOnce, bare) } : [(bareOnce, bare), (oursOnce, ours)])
                {
                    var start = Stopwatch.GetTimestamp();
                    await operation();
                    times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
            var (oursRate, bareRate) = (ours.Count * 1000 / ours.Sum(), bare.Count * 1000 / bare.Sum());
            ratios.Add(oursRate / bareRate);
            oursMs.AddRange(ours);
            bareMs.AddRange(bare);
            Console.WriteLine($"round {round}: PdfSigner.SignAsync {oursRate:F0}/s, bare SignedCms {bareRate:F0}/s, ratio {ratios[^1]:F2}");
        }
        Console.WriteLine($"1 MB PDF ({covered.Length:N0} bytes signed): PdfSigner median {Median(oursMs):F2} ms ({1000 / Median(oursMs):F0}/s), " +
            $"bare SignedCms median {Median(bareMs):F2} ms ({1000 / Median(bareMs):F0}/s), median of the rounds' ratios {Median(ratios):F2}");

        // Where PdfSigner's time goes: each step of SignAsync alone, and one SHA-256 pass over the signed bytes for scale.
        var steps = new[] { new List<double>(), new List<double>(), new List<double>(), new List<double>() };
        for (var i = 0; i < 300; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var prepared = await PdfSigner.PrepareAsync(new MemoryStream(pdf, writable: false), request, CancellationToken.None);
            steps[0].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            var value = await seal.SignDigestAsync(prepared.DigestToSign, CancellationToken.None);
            steps[1].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            await PdfSigner.CompleteAsync(new MemoryStream(pdf, writable: false), prepared, value, null, Stream.Null, CancellationToken.None);
            steps[2].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            SHA256.HashData(covered);
            steps[3].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        Console.WriteLine($"PdfSigner's steps, median ms: prepare {Median(steps[0]):F2} (parse, read and hash), RSA signature {Median(steps[1]):F2}, " +
            $"complete {Median(steps[2]):F2} (verify, read, hash again and write); one SHA-256 pass over the signed bytes {Median(steps[3]):F2}");
    }

    /// <summary>The signed file without the hex string of /Contents, as the /ByteRange names it.</summary>
    private static byte[] CoveredBytes(byte[] signedPdf)
    {
        var text = Encoding.Latin1.GetString(signedPdf);
        var at = text.LastIndexOf("/ByteRange", StringComparison.Ordinal);
        var open = text.IndexOf('[', at);
        var numbers = text[(open + 1)..text.IndexOf(']', open)].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        return [.. signedPdf.AsSpan(numbers[0], numbers[1]), .. signedPdf.AsSpan(numbers[2], numbers[3])];
    }

    // --- 2. what a time-stamp and an appearance add ---

    private static async Task AddedCostsAsync(CertificateHashSigner seal, TestPki pki)
    {
        var responder = new TimestampResponder(pki.Tsa, [pki.Intermediate], TimeProvider.System);
        var (server, address) = await LocalServer.StartAsync("http://127.0.0.1:0", app => app.MapTimestampAuthority("/tsa", responder));
        try
        {
            using var http = new HttpClient();
            var tsa = new HttpTimestampAuthority(http, new TimestampAuthorityOptions { Url = new Uri(address, "tsa") });
            var pdf = MakePdf(PadBytes);
            var pages = PdfSigner.PageBoxes(new MemoryStream(pdf, writable: false));
            var plain = Plain(seal);
            PdfSignatureRequest Drawn() => WithDrawings(plain, pages, block: true);
            PdfSignatureRequest QrOnly() => WithDrawings(plain, pages, block: false);

            Func<Task> Sign(Func<PdfSignatureRequest> request, ITimestampAuthority? authority) => () =>
                PdfSigner.SignAsync(new MemoryStream(pdf, writable: false), seal, request(), authority, Stream.Null, CancellationToken.None);
            var cases = new (string Name, Func<Task> Run)[]
            {
                ("invisible, no time-stamp", Sign(() => plain, null)),
                ("with a time-stamp (local RFC 3161 authority on loopback)", Sign(() => plain, tsa)),
                ("with the signature block (seal + signature images) and the QR mark", Sign(Drawn, null)),
                ("with the QR mark alone", Sign(QrOnly, null)),
            };
            foreach (var (_, run) in cases) for (var i = 0; i < 20; i++) await run();
            var times = cases.Select(_ => new List<double>()).ToArray();
            // Interleaved, one signature of each case after another, so drift on the machine hits all alike.
            for (var i = 0; i < 200; i++)
            {
                for (var c = 0; c < cases.Length; c++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await cases[c].Run();
                    times[c].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
            var baseMs = Median(times[0]);
            Console.WriteLine($"1 MB PDF, median of {times[0].Count} signatures each:");
            for (var c = 0; c < cases.Length; c++)
                Console.WriteLine($"  {cases[c].Name}: {Median(times[c]):F2} ms" + (c == 0 ? "" : $" (+{Median(times[c]) - baseMs:F2} ms per signature)"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static PdfSignatureRequest Plain(CertificateHashSigner seal) =>
        new() { Certificate = seal.Certificate, SigningTime = DateTimeOffset.UtcNow, SignerName = "UBND phường Nha Trang" };

    private static readonly SignatureAppearances Appearances = new(new AppearanceOptions
    {
        ImageDirectory = AppContext.BaseDirectory,
        Agencies = { [DemoData.NhaTrangWard] = new AgencyAppearance { SealImage = "Demo/seal.png" } },
        People = { ["chairman-001"] = new PersonAppearance { SignatureImage = "Demo/signature.png" } },
    });

    private static readonly SignatureBlock ChairmanBlock = Appearances.Block(DemoData.NhaTrangWard, "chairman-001",
        new SigningAuthority(SigningAuthorityKind.OnBehalfOf, "Ủy ban nhân dân"), "Chủ tịch", "Lê Văn Hùng");

    /// <summary>A fresh drawing per signature: the block and the QR code are laid out and encoded each time, as a signing does.</summary>
    private static PdfSignatureRequest WithDrawings(PdfSignatureRequest request, IReadOnlyList<UglyToad.PdfPig.Core.PdfRectangle> pages, bool block) => request with
    {
        Appearance = block ? Appearances.SignerBlock(DemoData.NhaTrangWard, ChairmanBlock, pages, SignatureBlockLayers.All) : null,
        Stamps = [Appearances.QrMark(DemoData.NhaTrangWard, new QrMark(new Uri("https://dichvucong.khanhhoa.example.vn/api/public/documents/" +
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))), pages)],
    };

    // --- 3. memory while signing a large file ---

    private static async Task LargeFileMemoryAsync(CertificateHashSigner seal, int megabytes)
    {
        var folder = Directory.CreateTempSubdirectory("motcua-bench-sign-").FullName;
        try
        {
            var source = Path.Combine(folder, "large.pdf");
            var target = Path.Combine(folder, "large-signed.pdf");
            await using (var file = File.Create(source)) await WritePdfAsync(file, (long)megabytes << 20);
            var small = Path.Combine(folder, "small.pdf");
            await using (var file = File.Create(small)) await WritePdfAsync(file, 1 << 20);
            foreach (var drawn in new[] { false, true })
            {
                async Task SignFileAsync(string path)
                {
                    await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
                    await using var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true);
                    var request = drawn ? WithDrawings(Plain(seal), PdfSigner.PageBoxes(input), block: true) : Plain(seal);
                    input.Position = 0;
                    await PdfSigner.SignAsync(input, seal, request, null, output, CancellationToken.None);
                }
                // The same code paths once on a small file, so the baseline holds the code and pools the large file reuses.
                await SignFileAsync(small);
                await MeasureMemoryAsync(drawn ? "signature block and QR mark" : "invisible", () => SignFileAsync(source), target, megabytes);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task MeasureMemoryAsync(string name, Func<Task> sign, string target, int megabytes)
    {
        var peak = await MemoryPeak.MeasureAsync(sign);
        Console.WriteLine($"{megabytes} MB PDF, {name}, FileStream to FileStream ({new FileInfo(target).Length:N0} bytes written) in {peak.Elapsed.TotalSeconds:F2} s: {peak}");
    }


    // --- 4. from the clerk's finish to the issued result, through the app ---

    private static async Task ResultFlowAsync(TestPki pki, int dossiers)
    {
        var folder = Directory.CreateTempSubdirectory("motcua-bench-results-").FullName;
        var responder = new TimestampResponder(pki.Tsa, [pki.Intermediate], TimeProvider.System);
        var (tsaServer, tsaAddress) = await LocalServer.StartAsync("http://127.0.0.1:0", app => app.MapTimestampAuthority("/tsa", responder));
        try
        {
            var trust = Path.Combine(folder, "trust");
            pki.WriteTrustFolder(trust);
            var now = DateTimeOffset.UtcNow;
            using var sealCertificate = pki.IssueSigner("CN=UBND phường Nha Trang, O=UBND phường Nha Trang, C=VN", now.AddYears(-1), now.AddYears(2));
            var sealFile = Path.Combine(folder, "seal.p12");
            await File.WriteAllBytesAsync(sealFile, sealCertificate.Export(X509ContentType.Pkcs12, "mật-khẩu"));
            // As the local demo runs: the seal from PKCS#12, time-stamps, the wards' seal and the chairman's signature images.
            await using var bench = await BenchmarkApp.StartAsync("s", "citizen-001", mode: "Standalone", settings: new Dictionary<string, string?>
            {
                ["Signatures:TrustFolder"] = trust,
                ["Signing:Seal:Pkcs12Path"] = sealFile,
                ["Signing:Seal:Pkcs12Password"] = "mật-khẩu",
                ["Signing:Timestamp:Url"] = new Uri(tsaAddress, "tsa").AbsoluteUri,
                ["Signing:ImageDirectory"] = AppContext.BaseDirectory,
                [$"Signing:Agencies:{DemoData.NhaTrangWard}:SealImage"] = "Demo/seal.png",
                ["Signing:People:chairman-001:SignatureImage"] = "Demo/signature.png",
                ["Results:PublicCheckBaseUrl"] = "https://dichvucong.khanhhoa.example.vn/api/public/documents",
            });
            var api = new Api(bench);
            using var phone = await Phone.RegisterAsync(api, pki);

            var clock = Stopwatch.StartNew();
            var codes = new List<string>();
            await Parallel.ForEachAsync(Enumerable.Range(0, dossiers), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, _) =>
            {
                var code = await api.ApprovedWithResultAsync(phone);
                lock (codes) codes.Add(code);
            });
            Console.WriteLine($"{dossiers} dossiers taken to an approved, person-signed result in {clock.Elapsed.TotalSeconds:F1} s");

            // One finish at a time, each followed until the citizen reads it issued, so each is timed alone.
            var latencies = new List<double>();
            foreach (var code in codes)
            {
                var start = Stopwatch.GetTimestamp();
                await api.ActAsync(code, "finish", Api.Clerk);
                while (await api.ResultStageAsync(code, Api.Citizen) != "issued")
                {
                    if (Stopwatch.GetElapsedTime(start) > TimeSpan.FromMinutes(1)) throw new TimeoutException($"The result of {code} was not issued within a minute.");
                    await Task.Delay(10);
                }
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            var sorted = latencies.Order().ToArray();
            Console.WriteLine($"finish → result issued to the citizen ({dossiers} dossiers, one at a time, seal with time-stamp and seal image): " +
                $"median {Median(latencies):F0} ms, p95 {sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.95) - 1)]:F0} ms, " +
                $"min {sorted[0]:F0} ms, max {sorted[^1]:F0} ms");
        }
        finally
        {
            await tsaServer.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The API as the demo users use it, each request with that user's token.</summary>
    private sealed class Api(BenchmarkApp bench)
    {
        public static readonly CurrentUser Citizen = DemoData.Users.Single(u => u.Role == Roles.Citizen);
        public static readonly CurrentUser Clerk = DemoData.Users.Single(u => u.Role == Roles.Clerk);
        public static readonly CurrentUser Specialist = DemoData.Users.Single(u => u.Id == "specialist-001");
        public static readonly CurrentUser Chairman = DemoData.Users.Single(u => u.Role == Roles.Chairman);
        private readonly LocalTokens _tokens = bench.App.Services.GetRequiredService<LocalTokens>();

        public async Task<(HttpStatusCode Status, JsonElement Body, string? ETag)> SendAsync(HttpMethod method, string path, CurrentUser user,
            HttpContent? content = null, string? ifMatch = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.Issue(user, TimeSpan.FromHours(1)));
            if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            using var response = await bench.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var body = text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
                ? JsonDocument.Parse(text).RootElement.Clone() : default;
            return (response.StatusCode, body, response.Headers.ETag?.ToString());
        }

        /// <summary>Acts on the dossier's current version; a version moved on by a background step is read again.</summary>
        public async Task<JsonElement> ActAsync(string code, string action, CurrentUser user, Func<int, object>? body = null)
        {
            for (var attempt = 0; ; attempt++)
            {
                var current = await SendAsync(HttpMethod.Get, $"/api/dossiers/{code}", user);
                var version = current.Body.GetProperty("version").GetInt32();
                var answer = await SendAsync(HttpMethod.Post, $"/api/dossiers/{code}/actions/{action}", user,
                    body is null ? null : JsonContent.Create(body(version)), current.ETag);
                if (answer.Status == HttpStatusCode.OK) return answer.Body;
                if (answer.Status != HttpStatusCode.PreconditionFailed || attempt == 5)
                    throw new InvalidOperationException($"{action} on {code} by {user.Id}: {(int)answer.Status} {answer.Body}");
            }
        }

        public async Task<string?> ResultStageAsync(string code, CurrentUser user)
        {
            var answer = await SendAsync(HttpMethod.Get, $"/api/dossiers/{code}/result", user);
            return answer.Status == HttpStatusCode.OK ? answer.Body.GetProperty("stage").GetString() : null;
        }

        /// <summary>Submitted, checked, accepted, handed over, a result attached, submitted for approval and approved with the phone's signature of the result.</summary>
        public async Task<string> ApprovedWithResultAsync(Phone phone)
        {
            using var form = new MultipartFormDataContent();
            form.Add(new StringContent(JsonSerializer.Serialize(new
            {
                procedureCode = "1.001193",
                receivingUnit = DemoData.NhaTrangWard,
                applicant = new { fullName = "Nguyễn Thị Hoa", idNumber = "001190012345", phone = "0912345678" },
            }), Encoding.UTF8, "application/json"), "dossier");
            var document = new ByteArrayContent(SignedPdfBuilder.CreatePdf(["TO KHAI DANG KY KHAI SINH"]));
            document.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(document, "document", "to-khai.pdf");
            var submitted = await SendAsync(HttpMethod.Post, "/api/dossiers", Citizen, form);
            if (submitted.Status != HttpStatusCode.Created) throw new InvalidOperationException($"Submission answered {(int)submitted.Status}: {submitted.Body}");
            var code = submitted.Body.GetProperty("code").GetString()!;
            // The document checks write to the history; wait for them so the actions below name a settled version.
            for (var start = Stopwatch.GetTimestamp(); ; await Task.Delay(50))
            {
                var body = (await SendAsync(HttpMethod.Get, $"/api/dossiers/{code}", Clerk)).Body;
                var checks = body.GetProperty("documentChecks");
                if (checks.GetProperty("recorded").GetInt32() == checks.GetProperty("documents").GetInt32()) break;
                if (Stopwatch.GetElapsedTime(start) > TimeSpan.FromMinutes(1)) throw new TimeoutException($"The documents of {code} were not checked within a minute.");
            }
            await ActAsync(code, "accept", Clerk);
            await ActAsync(code, "hand-over", Clerk);
            var result = new ByteArrayContent(SignedPdfBuilder.CreatePdf(["UY BAN NHAN DAN PHUONG NHA TRANG", "GIAY KHAI SINH", $"Ho so {code}"], pages: 2));
            result.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            var attached = await SendAsync(HttpMethod.Put, $"/api/dossiers/{code}/result?fileName=giay-khai-sinh.pdf", Specialist, result);
            if (attached.Status != HttpStatusCode.OK) throw new InvalidOperationException($"Attaching the result answered {(int)attached.Status}: {attached.Body}");
            await ActAsync(code, "submit-for-approval", Specialist);

            var prepared = await SendAsync(HttpMethod.Post, $"/api/dossiers/{code}/result/signing", Chairman, JsonContent.Create(new { keyId = phone.KeyId }));
            if (prepared.Status != HttpStatusCode.OK) throw new InvalidOperationException($"Preparing the result signature answered {(int)prepared.Status}: {prepared.Body}");
            var resultSignature = new
            {
                preparationId = prepared.Body.GetProperty("preparationId").GetString(),
                value = Convert.ToBase64String(phone.SignDigest(Convert.FromBase64String(prepared.Body.GetProperty("digestToSign").GetString()!))),
            };
            await ActAsync(code, "approve", Chairman, version => new
            {
                comment = "Đồng ý",
                signature = phone.SignStatement(code, "approve", version, DateTimeOffset.UtcNow, "Đồng ý"),
                resultSignature,
            });
            return code;
        }
    }

    /// <summary>The chairman's phone: a P-256 key with a certificate from the test authority, registered with the app.</summary>
    private sealed class Phone : IDisposable
    {
        private readonly X509Certificate2 _certificate;
        private readonly ECDsa _key;

        private Phone(X509Certificate2 certificate, string keyId)
        {
            _certificate = certificate;
            _key = certificate.GetECDsaPrivateKey()!;
            KeyId = keyId;
        }

        public string KeyId { get; }

        public static async Task<Phone> RegisterAsync(Api api, TestPki pki)
        {
            var certificate = pki.IssueSigner($"CN={Api.Chairman.Name}, O=UBND phường Nha Trang, C=VN", DateTimeOffset.UtcNow.AddDays(-1),
                DateTimeOffset.UtcNow.AddYears(1), TestKeyKind.EcdsaP256);
            using var key = certificate.GetECDsaPublicKey()!;
            var registered = await api.SendAsync(HttpMethod.Post, "/api/me/device-keys", Api.Chairman, JsonContent.Create(new
            {
                deviceName = "Điện thoại của chủ tịch",
                publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()),
                certificate = Convert.ToBase64String(certificate.RawData),
            }));
            if (registered.Status != HttpStatusCode.Created) throw new InvalidOperationException($"Registering the phone answered {(int)registered.Status}: {registered.Body}");
            return new Phone(certificate, registered.Body.GetProperty("keyId").GetString()!);
        }

        /// <summary>As Android Keystore's NONEwithECDSA answers, r||s.</summary>
        public byte[] SignDigest(byte[] digest) => _key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        public object SignStatement(string code, string action, int version, DateTimeOffset signedAt, string comment)
        {
            var statement = "MOTCUA-APPROVAL-V1\n"
                + $"code:{code}\naction:{action}\nversion:{version}\n"
                + $"signed-at:{signedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z\n"
                + $"comment-sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(comment)))}";
            var value = _key.SignData(Encoding.UTF8.GetBytes(statement), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            return new { keyId = KeyId, signedAt, value = Convert.ToBase64String(value) };
        }

        public void Dispose()
        {
            _key.Dispose();
            _certificate.Dispose();
        }
    }

    // --- PDFs with incompressible padding, written as a stream so a large one never sits in memory ---

    internal static byte[] MakePdf(long padding)
    {
        using var output = new MemoryStream();
        WritePdfAsync(output, padding).GetAwaiter().GetResult();
        return output.ToArray();
    }

    /// <summary>One page: a grey image of <paramref name="padding"/> random bytes (a multiple of 1024) and a line of text, with a classic cross-reference table.</summary>
    internal static async Task WritePdfAsync(Stream output, long padding)
    {
        var offsets = new List<long>();
        long position = 0;
        async Task WriteAsync(string text)
        {
            var bytes = Encoding.Latin1.GetBytes(text);
            await output.WriteAsync(bytes);
            position += bytes.Length;
        }
        async Task ObjectAsync(string body)
        {
            offsets.Add(position);
            await WriteAsync($"{offsets.Count} 0 obj\n{body}\nendobj\n");
        }

        await WriteAsync("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        await ObjectAsync("<< /Type /Catalog /Pages 2 0 R >>");
        await ObjectAsync("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        await ObjectAsync("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> /XObject << /Scan 6 0 R >> >> /Contents 5 0 R >>");
        await ObjectAsync("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        const string content = "q 595 0 0 842 0 0 cm /Scan Do Q BT /F1 14 Tf 72 770 Td (GIAY KHAI SINH) Tj ET";
        await ObjectAsync($"<< /Length {content.Length} >>\nstream\n{content}\nendstream");
        offsets.Add(position);
        // The padding is a grey scan of the page, as scanned results are: 1024 pixels wide.
        await WriteAsync($"{offsets.Count} 0 obj\n<< /Type /XObject /Subtype /Image /Width 1024 /Height {padding / 1024} /ColorSpace /DeviceGray " +
            $"/BitsPerComponent 8 /Length {padding} >>\nstream\n");
        var chunk = new byte[1 << 20];
        for (var left = padding; left > 0; left -= chunk.Length)
        {
            RandomNumberGenerator.Fill(chunk);
            var length = (int)Math.Min(chunk.Length, left);
            await output.WriteAsync(chunk.AsMemory(0, length));
            position += length;
        }
        await WriteAsync("\nendstream\nendobj\n");
        var xref = position;
        var table = new StringBuilder($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) table.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        table.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        await WriteAsync(table.ToString());
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
