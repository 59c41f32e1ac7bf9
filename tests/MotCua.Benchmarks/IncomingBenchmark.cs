using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Outbox;
using MotCua.FunctionApp.Storage;
using MotCua.FunctionApp.Tests.Correspondence;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.Messaging;
using MotCua.Messaging.StorageQueues;

namespace MotCua.Benchmarks;

/// <summary>
/// Incoming correspondence, in one run:
/// 1. registrations per second with 64 concurrent on one agency through the API, against the raw
///    storage operations of a registration done straight through the SDK with the same concurrency on
///    one agency's counter: once racing (every worker retries its batch on 412/409) and once taking
///    turns on the counter (read and batch only); afterwards the register is checked for gaps and
///    duplicates on both sides;
/// 2. the bytes a phone downloads for the list awaiting direction (50 documents) and for one
///    document's view (directed, two files, eleven history entries).
///   dotnet run -c Release --project tests/MotCua.Benchmarks -- incoming [registrations=640] [rounds=2]   (registrations=0: the sizes alone)
/// </summary>
public static class IncomingBenchmark
{
    private const int Concurrency = 64;
    private const int Preparing = 16;
    private static readonly CurrentUser Clerk = DemoData.Users.Single(u => u.Id == "records-clerk-001");
    private static readonly CurrentUser Leader = DemoData.Users.Single(u => u.Id == "chairman-001");
    private static readonly CurrentUser DepartmentHead = DemoData.Users.Single(u => u.Role == Roles.DepartmentHead);
    private static readonly CurrentUser Officer = DemoData.Users.Single(u => u.Id == "officer-001");

    /// <summary>The raw side's agency: its own partition and counter, written by the same API at arrival.</summary>
    private static readonly CurrentUser RawClerk = new("records-clerk-777", "Đinh Thị Hạnh", Roles.RecordsClerk, DemoData.CamLamCommune);

    public static async Task<int> RunAsync(string[] args)
    {
        var registrations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 640;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        if (registrations > 0) await RegistrationsAsync(registrations, rounds);
        await SizesAsync();
        return 0;
    }

    // --- 1. registrations per second ---

    private sealed record Run(string Side, double Rate, double P50, double P99, int Count, int Retries);

    private static async Task RegistrationsAsync(int registrations, int rounds)
    {
        await using var bench = await BenchmarkApp.StartAsync("i", Clerk.Id, Concurrency);
        var api = new Api(bench);
        var raw = new RawRegistration(bench);
        var sides = new (string Name, string Agency, Func<string, Task<int>> Register)[]
        {
            ("API (POST registration)", DemoData.NhaTrangWard, api.RegisterAsync),
            ("raw, racing on the counter", DemoData.CamLamCommune, id => raw.RegisterAsync(id, turn: null)),
            ("raw, taking turns on the counter", DemoData.CamLamCommune, id => raw.RegisterAsync(id, raw.Turn)),
        };
        Console.WriteLine($"{Environment.ProcessorCount} cores, Azurite, {Concurrency} concurrent registrations on one agency, " +
            $"{registrations} per side per round, {rounds} rounds");

        async Task<Run> RoundAsync(int side, int count)
        {
            var (name, agency, register) = sides[side];
            var ids = await api.ArriveAsync(agency, count);
            return await TimeAsync(name, ids, register);
        }

        for (var side = 0; side < sides.Length; side++) await RoundAsync(side, Concurrency); // warm-up
        var runs = sides.Select(_ => new List<Run>()).ToArray();
        for (var round = 1; round <= rounds; round++)
        {
            // Documents for every side first, so the clocks cover registrations only; then the sides in an order that turns each round.
            var prepared = new List<string>[sides.Length];
            for (var side = 0; side < sides.Length; side++) prepared[side] = await api.ArriveAsync(sides[side].Agency, registrations);
            foreach (var side in Enumerable.Range(0, sides.Length).Select(s => (s + round - 1) % sides.Length))
            {
                var run = await TimeAsync(sides[side].Name, prepared[side], sides[side].Register);
                runs[side].Add(run);
                Console.WriteLine($"round {round}: {run.Side}: {run.Rate:F0}/s, p50 {run.P50:F0} ms, p99 {run.P99:F0} ms, {run.Count} registered, {run.Retries} retried batches");
            }
        }

        Console.WriteLine();
        Console.WriteLine("| side | round | per second | p50 ms | p99 ms | registered | retried batches |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        for (var side = 0; side < sides.Length; side++)
        {
            for (var r = 0; r < runs[side].Count; r++)
            {
                var run = runs[side][r];
                Console.WriteLine($"| {run.Side} | {r + 1} | {run.Rate:F0} | {run.P50:F0} | {run.P99:F0} | {run.Count} | {run.Retries} |");
            }
        }
        for (var r = 0; r < rounds; r++)
        {
            var bound = Math.Max(runs[1][r].Rate, runs[2][r].Rate);
            Console.WriteLine($"round {r + 1}: API / best raw {runs[0][r].Rate / bound:F2} (racing {runs[0][r].Rate / runs[1][r].Rate:F2}, turns {runs[0][r].Rate / runs[2][r].Rate:F2})");
        }
        foreach (var (name, agency) in new[] { ("API", DemoData.NhaTrangWard), ("raw", DemoData.CamLamCommune) })
        {
            var check = await RegisterCheck.ReadAsync(bench.App.Services.GetRequiredService<MotCuaTables>(), agency);
            Console.WriteLine($"register of the {name} side ({agency}): {check}");
        }
    }

    private static async Task<Run> TimeAsync(string side, IReadOnlyList<string> ids, Func<string, Task<int>> register)
    {
        var queue = new ConcurrentQueue<string>(ids);
        var latencies = new ConcurrentBag<double>();
        var retries = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            await Task.Yield();
            while (queue.TryDequeue(out var id))
            {
                var start = Stopwatch.GetTimestamp();
                Interlocked.Add(ref retries, await register(id));
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToArray();
        return new Run(side, sorted.Length / elapsed, sorted[sorted.Length / 2], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))], sorted.Length, retries);
    }

    /// <summary>
    /// What one registration does to storage, with nothing of ours between: read the document, read the
    /// counter, mark the partition pending, one batch in the agency's partition (counter under its ETag or
    /// added, register entry, document under its ETag, history entry, event), retried on 412/409 with both
    /// read again; then send the event, delete its row, and remove the mark if the partition holds no other
    /// unsent row, as <see cref="OutboxDispatcher.DispatchOwnAsync"/> does.
    /// </summary>
    private sealed class RawRegistration(BenchmarkApp bench)
    {
        private readonly MotCuaTables _tables = bench.App.Services.GetRequiredService<MotCuaTables>();
        private readonly QueueClient _events = bench.App.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(bench.Prefix + IncomingEvent.Queue);
        private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        /// <summary>One writer at a time on the counter (its read and the batch), as one process can arrange without ETag races.</summary>
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public async Task<int> RegisterAsync(string id, SemaphoreSlim? turn)
        {
            var partition = IncomingRows.Partition(DemoData.CamLamCommune);
            var d = (await _tables.Dossiers.GetEntityAsync<IncomingDocumentEntity>(partition, IncomingRows.Document(id))).Value;
            var mark = await _tables.Outbox.UpsertEntityAsync(PendingOutbox.For(partition), TableUpdateMode.Replace);
            var retries = 0;
            OutboxEntity message;
            for (; ; retries++)
            {
                if (turn is not null) await turn.WaitAsync();
                try
                {
                    var now = DateTimeOffset.UtcNow;
                    var year = VietnamTime.Today(now).Year;
                    var counter = await _tables.Dossiers.GetEntityIfExistsAsync<TableEntity>(partition, IncomingRows.Counter(year));
                    var number = (counter.HasValue ? counter.Value!.GetInt32("Value") ?? 0 : 0) + 1;
                    var nextCounter = new TableEntity(partition, IncomingRows.Counter(year)) { ["Value"] = number };
                    var details = JsonSerializer.Serialize(new { year, receiptNumber = number, confirmed = new RegistrationForm() }, IncomingStore.DetailsJson);
                    var entry = IncomingHistoryEntry.Append(d.Version, d.LastHistoryHash, now, RawClerk.Id, "registered", IncomingStatus.Arrived, IncomingStatus.Registered,
                        $"Vào sổ văn bản đến số {number}/{year}.", details);
                    (d.Status, d.Version, d.LastHistoryHash) = ((int)IncomingStatus.Registered, entry.Sequence, entry.Hash);
                    (d.RegisterYear, d.RegisterNumber, d.RegisteredAt, d.RegisteredBy) = (year, number, now, RawClerk.Id);
                    message = OutboxEntity.Create(partition, IncomingEvent.Queue, IncomingEvent.Subject, BinaryData.FromObjectAsJson(new IncomingEvent(d.Id, d.Agency,
                        entry.Sequence, entry.Action, (int)entry.From, (int)entry.To, entry.Actor, entry.At, d.Priority, d.Secret, d.Secret ? null : d.Summary,
                        null, null, null, [], [], null, null), JsonSerializerOptions.Web), TraceParent);
                    await _tables.Dossiers.SubmitTransactionAsync(
                    [
                        counter.HasValue
                            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, nextCounter, counter.Value!.ETag)
                            : new TableTransactionAction(TableTransactionActionType.Add, nextCounter),
                        new TableTransactionAction(TableTransactionActionType.Add, new RegisterEntryEntity
                        {
                            PartitionKey = partition, RowKey = IncomingRows.RegisterEntry(year, number), DocumentId = d.Id, Year = year, Number = number, RegisteredAt = now,
                        }),
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, d, d.ETag),
                        new TableTransactionAction(TableTransactionActionType.Add, IncomingHistoryEntity.From(d.Agency, d.Id, entry)),
                        new TableTransactionAction(TableTransactionActionType.Add, message),
                    ]);
                    break;
                }
                catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
                {
                    d = (await _tables.Dossiers.GetEntityAsync<IncomingDocumentEntity>(partition, IncomingRows.Document(id))).Value;
                }
                finally
                {
                    turn?.Release();
                }
            }

            await _events.SendMessageAsync(QueueEnvelope.From(new OutgoingMessage(message.MessageId, message.Subject, BinaryData.FromString(message.Body), partition,
                new Dictionary<string, string> { ["traceparent"] = TraceParent })).ToText());
            await _tables.Dossiers.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.Delete, message, ETag.All)]);
            await foreach (var _ in _tables.Dossiers.QueryAsync<TableEntity>(DossierRows.PrefixFilter(partition, DossierRows.OutboxPrefix), maxPerPage: 1, select: ["RowKey"]))
                return retries;
            try
            {
                await _tables.Outbox.DeleteEntityAsync(PendingOutbox.Partition, partition, mark.Headers.ETag!.Value);
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404)
            {
            }
            return retries;
        }
    }

    /// <summary>The register of one agency for this year: its numbers against the documents it names.</summary>
    private sealed record RegisterCheck(int Entries, int Highest, int Gaps, int Duplicates, int RegisteredDocuments, int Mismatched)
    {
        public static async Task<RegisterCheck> ReadAsync(MotCuaTables tables, string agency)
        {
            var year = VietnamTime.Today(DateTimeOffset.UtcNow).Year;
            var entries = new List<RegisterEntryEntity>();
            await foreach (var e in tables.Dossiers.QueryAsync<RegisterEntryEntity>(IncomingRows.PrefixFilter(agency, $"{IncomingRows.RegisterPrefix}{year}|")))
                entries.Add(e);
            var documents = new Dictionary<string, IncomingDocumentEntity>(StringComparer.Ordinal);
            await foreach (var d in tables.Dossiers.QueryAsync<IncomingDocumentEntity>(IncomingRows.PrefixFilter(agency, IncomingRows.DocumentPrefix)))
                if (d.RegisterNumber is not null) documents[d.Id] = d;
            var numbers = entries.Select(e => e.Number).ToList();
            var highest = numbers.DefaultIfEmpty(0).Max();
            var distinct = numbers.Distinct().Count();
            // An entry must name a document that carries its number; a registered document's number must be in the register once.
            var mismatched = entries.Count(e => !documents.TryGetValue(e.DocumentId, out var d) || d.RegisterNumber != e.Number)
                + documents.Values.Count(d => numbers.Count(n => n == d.RegisterNumber) != 1);
            return new RegisterCheck(entries.Count, highest, highest - distinct, numbers.Count - distinct, documents.Count, mismatched);
        }

        public override string ToString() =>
            $"{Entries} entries, numbers 1..{Highest}, {Gaps} gaps, {Duplicates} duplicates, {RegisteredDocuments} registered documents, {Mismatched} mismatched";
    }

    // --- 2. what the phone downloads ---

    private static async Task SizesAsync()
    {
        // The leader's phone key carries a certificate from the test authority, which the app trusts.
        using var pki = TestPki.Create(DateTimeOffset.UtcNow);
        var trust = Directory.CreateTempSubdirectory("motcua-bench-incoming-").FullName;
        try
        {
            pki.WriteTrustFolder(trust);
            await MeasureSizesAsync(pki, trust);
        }
        finally
        {
            Directory.Delete(trust, recursive: true);
        }
    }

    private static async Task MeasureSizesAsync(TestPki pki, string trust)
    {
        await using var bench = await BenchmarkApp.StartAsync("k", Clerk.Id, mode: "Standalone",
            settings: new Dictionary<string, string?> { ["Signatures:TrustFolder"] = trust });
        var api = new Api(bench);
        var ids = await api.ArriveAsync(DemoData.NhaTrangWard, 50);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Preparing }, async (id, _) => await api.RegisterAsync(id));

        var list = await api.SendAsync(HttpMethod.Get, $"/api/agencies/{DemoData.NhaTrangWard}/incoming?list=awaiting-direction&pageSize=50", Leader);
        var items = JsonDocument.Parse(list.Bytes).RootElement.GetProperty("items").GetArrayLength();

        var id = await api.DirectedWithHistoryAsync(pki);
        var view = await api.SendAsync(HttpMethod.Get, $"/api/incoming/{id}", Leader);
        var body = JsonDocument.Parse(view.Bytes).RootElement;

        Console.WriteLine();
        var encoding = list.ContentEncoding ?? view.ContentEncoding ?? "none (the bodies go out as they are)";
        Console.WriteLine($"Response compression in the app, asked for gzip and br: {encoding}");
        Console.WriteLine("| response | what it holds | bytes sent | gzip | brotli | bound |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        Console.WriteLine($"| GET .../incoming?list=awaiting-direction&pageSize=50 | {items} documents, summaries ~200 characters | {list.Bytes.Length:N0} | " +
            $"{Gzip(list.Bytes):N0} | {Brotli(list.Bytes):N0} | 30,720 |");
        Console.WriteLine($"| GET /api/incoming/{{id}} | status {body.GetProperty("status").GetProperty("code").GetString()}, {body.GetProperty("files").GetArrayLength()} files, " +
            $"{body.GetProperty("history").GetArrayLength()} of {body.GetProperty("historyCount").GetInt32()} history entries | {view.Bytes.Length:N0} | " +
            $"{Gzip(view.Bytes):N0} | {Brotli(view.Bytes):N0} | 10,240 |");
    }

    private static int Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(bytes);
        return (int)output.Length;
    }

    private static int Brotli(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true)) brotli.Write(bytes);
        return (int)output.Length;
    }

    /// <summary>The API as the demo users use it, each request with that user's token.</summary>
    private sealed class Api(BenchmarkApp bench)
    {
        private readonly LocalTokens _tokens = bench.App.Services.GetRequiredService<LocalTokens>();

        public sealed record Answer(HttpStatusCode Status, byte[] Bytes, string? ETag, string? ContentEncoding)
        {
            public string Text => Encoding.UTF8.GetString(Bytes);
        }

        public async Task<Answer> SendAsync(HttpMethod method, string path, CurrentUser user, HttpContent? content = null, string? ifMatch = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.Issue(user, TimeSpan.FromHours(1)));
            request.Headers.AcceptEncoding.ParseAdd("gzip, br");
            if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            using var response = await bench.Http.SendAsync(request);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            return new Answer(response.StatusCode, bytes, response.Headers.ETag?.ToString(), response.Content.Headers.ContentEncoding.FirstOrDefault());
        }

        private static async Task<T> ExpectAsync<T>(Task<Answer> sending, HttpStatusCode expected, string what, Func<Answer, T> read)
        {
            var answer = await sending;
            if (answer.Status != expected) throw new InvalidOperationException($"{what} answered {(int)answer.Status}: {answer.Text}");
            return read(answer);
        }

        /// <summary><paramref name="count"/> secret paper letters (metadata only, no files) taken in by the agency's records clerk.</summary>
        public async Task<List<string>> ArriveAsync(string agency, int count)
        {
            var clerk = agency == DemoData.NhaTrangWard ? Clerk : RawClerk;
            var ids = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Preparing }, async (i, _) =>
            {
                using var form = new MultipartFormDataContent { { JsonContent.Create(IncomingSamples.SecretArrival(i)), "incoming" } };
                ids.Add(await ExpectAsync(SendAsync(HttpMethod.Post, $"/api/agencies/{agency}/incoming/paper", clerk, form), HttpStatusCode.Created, "A paper arrival",
                    a => JsonDocument.Parse(a.Bytes).RootElement.GetProperty("id").GetString()!));
            });
            return [.. ids];
        }

        /// <summary>Registers a document just arrived (version 1) as the ward's records clerk, with the client's own token.</summary>
        public async Task<int> RegisterAsync(string id)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/incoming/{id}/registration");
            request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            using var response = await bench.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"Registering {id} answered {(int)response.StatusCode}: {text}");
            return 0;
        }

        /// <summary>
        /// A paper letter with two scanned files, read by the pipeline, registered with its fields confirmed, directed from the
        /// leader's phone, passed on to an official, and five progress notes: eleven history entries, of which the view shows the latest ten.
        /// </summary>
        public async Task<string> DirectedWithHistoryAsync(TestPki pki)
        {
            var letter = IncomingSamples.Letters[0];
            using var form = new MultipartFormDataContent { { JsonContent.Create(new { }), "incoming" } };
            foreach (var (name, pages) in new[] { ("cong-van.pdf", 2), ("phu-luc.pdf", 3) })
            {
                var file = new ByteArrayContent(SignedPdfBuilder.CreatePdf(["UY BAN NHAN DAN TINH KHANH HOA", "So: 125/UBND-VP", "V/v trien khai ke hoach"], pages));
                file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                form.Add(file, "document", name);
            }
            var id = await ExpectAsync(SendAsync(HttpMethod.Post, $"/api/agencies/{DemoData.NhaTrangWard}/incoming/paper", Clerk, form), HttpStatusCode.Created,
                "The paper scan", a => JsonDocument.Parse(a.Bytes).RootElement.GetProperty("id").GetString()!);
            var etag = await WaitCheckedAsync(id);

            etag = await ExpectAsync(SendAsync(HttpMethod.Post, $"/api/incoming/{id}/registration", Clerk, JsonContent.Create(new
            {
                senderName = letter.SenderName, number = "125", notation = letter.Notation, documentDate = "2026-11-15", documentType = letter.DocumentType,
                summary = letter.Summary, priority = 1,
            }), etag), HttpStatusCode.OK, "Registration", a => a.ETag!);

            using var certificate = pki.IssueSigner($"CN={Leader.Name}, O=UBND phường Nha Trang, C=VN", DateTimeOffset.UtcNow.AddDays(-1),
                DateTimeOffset.UtcNow.AddYears(1), TestKeyKind.EcdsaP256);
            using var key = certificate.GetECDsaPrivateKey()!;
            var keyId = await ExpectAsync(SendAsync(HttpMethod.Post, "/api/me/device-keys", Leader, JsonContent.Create(new
            {
                deviceName = "Điện thoại của chủ tịch", publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()),
                certificate = Convert.ToBase64String(certificate.RawData),
            })), HttpStatusCode.Created, "The phone's key", a => JsonDocument.Parse(a.Bytes).RootElement.GetProperty("keyId").GetString()!);
            var today = VietnamTime.Today(DateTimeOffset.UtcNow);
            var due = today.AddDays(10);
            var comment = "Giao Phòng Văn hóa - Xã hội chủ trì, phối hợp Phòng Kinh tế tham mưu Ủy ban nhân dân phường triển khai thực hiện; báo cáo kết quả trước thời hạn.";
            string[] coHandlers = [DemoData.Users.Single(u => u.Id == "officer-002").Id];
            string[] informed = [DemoData.Users.Single(u => u.Role == Roles.DeputyLeader).Id];
            var signedAt = DateTimeOffset.UtcNow;
            var version = int.Parse(etag.Trim('"'), CultureInfo.InvariantCulture);
            var statement = new DirectionStatement([new DirectedDocument(id, version)], DemoData.CultureDepartment, coHandlers, informed, due, null, signedAt, comment).Canonical();
            etag = await ExpectAsync(SendAsync(HttpMethod.Post, $"/api/incoming/{id}/direction", Leader, JsonContent.Create(new
            {
                lead = DemoData.CultureDepartment, coHandlers, informed, dueDate = Days.Format(due), comment,
                signature = new
                {
                    keyId, signedAt,
                    value = Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(statement), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
                },
            }), etag), HttpStatusCode.OK, "Direction", a => a.ETag!);

            etag = await ExpectAsync(SendAsync(HttpMethod.Post, $"/api/incoming/{id}/assignment", DepartmentHead, JsonContent.Create(new AssignmentForm(Officer.Id,
                Days.Format(today.AddDays(7)), "Giao đồng chí Tuấn nghiên cứu, dự thảo văn bản trả lời, trình lãnh đạo phòng trước khi trình Ủy ban nhân dân phường.")), etag),
                HttpStatusCode.OK, "Assignment", a => a.ETag!);
            string[] notes =
            [
                "Đã nghiên cứu văn bản, tổng hợp số liệu của các khu phố theo yêu cầu.",
                "Đã làm việc với Phòng Kinh tế về nội dung phối hợp, thống nhất phân công.",
                "Đã dự thảo kế hoạch triển khai, gửi xin ý kiến các đơn vị liên quan.",
                "Đã tiếp thu ý kiến góp ý, hoàn thiện dự thảo kế hoạch và văn bản trả lời.",
                "Đã trình lãnh đạo phòng dự thảo văn bản trả lời, chờ ý kiến.",
            ];
            foreach (var note in notes)
            {
                etag = await ExpectAsync(SendAsync(HttpMethod.Post, $"/api/incoming/{id}/progress", Officer, JsonContent.Create(new ProgressForm(note)), etag),
                    HttpStatusCode.OK, "Progress", a => a.ETag!);
            }
            return id;
        }

        /// <summary>Waits for the pipeline to have checked every file of the document; returns its ETag.</summary>
        private async Task<string> WaitCheckedAsync(string id)
        {
            for (var start = Stopwatch.GetTimestamp(); ; await Task.Delay(100))
            {
                var answer = await SendAsync(HttpMethod.Get, $"/api/incoming/{id}", Clerk);
                var body = JsonDocument.Parse(answer.Bytes).RootElement;
                var files = body.GetProperty("files");
                if (files.GetArrayLength() == 2 && body.GetProperty("history").EnumerateArray().Count(e => e.GetProperty("action").GetString() == "file-checked") == 2)
                    return answer.ETag!;
                if (Stopwatch.GetElapsedTime(start) > TimeSpan.FromMinutes(2)) throw new TimeoutException($"The files of {id} were not checked within two minutes.");
            }
        }
    }
}
