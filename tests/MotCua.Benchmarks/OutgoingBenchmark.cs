using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Correspondence.Outgoing;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Outbox;
using MotCua.FunctionApp.Storage;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.Messaging;
using MotCua.Messaging.StorageQueues;

namespace MotCua.Benchmarks;

/// <summary>
/// Outgoing correspondence, in one run:
/// 1. issuing a signed 1 MB document to 20 recipient agencies of the deployment (app in standalone
///    mode, so the sealing and the delivery run in it): from the records clerk's issue until every
///    recipient row shows status 01, with the storage requests the app made meanwhile, against the
///    same writes done straight through the SDK (numbering batch, sealed file, issue batch, then per
///    recipient the file copied into the documents container and the rows, batches and messages the
///    delivery writes), one recipient after another and all at once;
/// 2. numbering 64 signed documents at once on one agency through the API, against 64 raw workers
///    on one series counter (read the counter, batch counter + register entry + document row, retry on
///    412/409), racing and taking turns; afterwards each register is checked for gaps and duplicates.
///   dotnet run -c Release --project tests/MotCua.Benchmarks -- outgoing [all|issue|numbering] [recipients=20] [documents=64]
/// </summary>
public static class OutgoingBenchmark
{
    private const int Preparing = 8;
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static readonly CurrentUser Clerk = DemoData.Users.Single(u => u.Id == "records-clerk-001");
    private static readonly CurrentUser Chairman = DemoData.Users.Single(u => u.Id == "chairman-001");
    private static readonly CurrentUser DepartmentHead = DemoData.Users.Single(u => u.Id == "department-head-001");
    private static readonly CurrentUser Officer = DemoData.Users.Single(u => u.Id == "officer-001");
    private static readonly CurrentUser Admin = DemoData.Users.Single(u => u.Id == "admin-001");

    public static async Task<int> RunAsync(string[] args)
    {
        var part = args.Length > 0 ? args[0] : "all";
        var recipients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var documents = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64;
        var now = DateTimeOffset.UtcNow;
        using var pki = TestPki.Create(now);
        var folder = Directory.CreateTempSubdirectory("motcua-bench-outgoing-").FullName;
        try
        {
            // The app trusts the test authority; the seal is a certificate it issued, as the outgoing tests set it up.
            var trust = Path.Combine(folder, "trust");
            pki.WriteTrustFolder(trust);
            using var seal = pki.IssueSigner("CN=UBND phường Nha Trang, O=UBND phường Nha Trang, C=VN", now.AddYears(-1), now.AddYears(2));
            var sealFile = Path.Combine(folder, "seal.p12");
            await File.WriteAllBytesAsync(sealFile, seal.Export(X509ContentType.Pkcs12, "mật-khẩu"));
            var settings = new Dictionary<string, string?>
            {
                ["Signatures:TrustFolder"] = trust,
                ["Signing:Seal:Pkcs12Path"] = sealFile,
                ["Signing:Seal:Pkcs12Password"] = "mật-khẩu",
            };
            Console.WriteLine($"{Environment.ProcessorCount} cores, Azurite, app on loopback");
            if (part is "all" or "issue") await IssueAsync(pki, settings, recipients);
            if (part is "all" or "numbering") await NumberingAsync(pki, settings, documents);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        return 0;
    }

    // --- 1. one document to many agencies ---

    private sealed record Timed(string Side, double Milliseconds, StorageOperations Operations, string Notes = "");

    private static async Task IssueAsync(TestPki pki, Dictionary<string, string?> settings, int recipients)
    {
        var counter = new StorageOperationCounter();
        await using var bench = await BenchmarkApp.StartAsync("o", Clerk.Id, mode: "Standalone", settings: settings, services: counter.Register);
        var api = new Api(bench);
        // Uncounted clients for watching the rows and for the raw side's own counter.
        var storage = bench.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value;
        var watch = MotCuaTables.Create(new TableServiceClient(storage.ConnectionString), bench.Prefix);
        var rawCounter = new StorageOperationCounter();
        var raw = new RawIssue(MotCuaTables.Create(new TableServiceClient(storage.ConnectionString, rawCounter.Tables()), bench.Prefix),
            new BlobServiceClient(storage.ConnectionString, rawCounter.Blobs()).GetBlobContainerClient(bench.Prefix + FunctionApp.Hosting.StorageContainers.Documents),
            new BlobServiceClient(storage.ConnectionString, rawCounter.Blobs()).GetBlobContainerClient(bench.Prefix + FunctionApp.Issuance.ResultFiles.Container),
            new QueueServiceClient(storage.ConnectionString, rawCounter.Queues()).GetQueueClient(bench.Prefix + "raw-deliveries"));
        await raw.CreateQueueAsync();

        var agencies = await api.AddAgenciesAsync(recipients);
        using var phone = await Phone.RegisterAsync(api, pki);
        var pdf = SigningBenchmark.MakePdf(1000 * 1024);
        Console.WriteLine($"Issuing one signed document of {pdf.Length:N0} bytes to {recipients} agencies of the deployment (standalone mode: sealing and delivery in the app)");

        // Warm-up: the whole path once, to two agencies; then the app's background work settles.
        var warm = await api.SignedAsync(phone, agencies[..2], pdf);
        await IssueThroughApiAsync(api, watch, warm, 2, counter);
        var sealedFile = await api.FileAsync(warm.Id);
        var template = (await watch.Dossiers.GetEntityAsync<OutgoingDocumentEntity>(OutgoingRows.Partition(DemoData.NhaTrangWard), OutgoingRows.Document(warm.Id))).Value;
        await raw.IssueAsync(template, sealedFile, agencies[..2], parallel: false);
        await api.SettleAsync(bench);

        var measured = await api.SignedAsync(phone, agencies, pdf);
        await api.SettleAsync(bench);
        var runs = new List<Timed>();
        foreach (var parallel in new[] { false, true })
        {
            var before = rawCounter.Snapshot();
            var clock = Stopwatch.StartNew();
            await raw.IssueAsync(template, sealedFile, agencies, parallel);
            runs.Add(new Timed(parallel ? $"raw SDK, the same writes, {recipients} recipients at once" : "raw SDK, the same writes, one recipient after another",
                clock.Elapsed.TotalMilliseconds, rawCounter.Snapshot() - before));
        }
        var idleBefore = counter.Snapshot();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var idle = counter.Snapshot() - idleBefore;
        Console.WriteLine($"app at rest for 3 s: {idle}");
        runs.Insert(0, await IssueThroughApiAsync(api, watch, measured, recipients, counter));

        Console.WriteLine();
        Console.WriteLine("| side | ms to all delivered | storage requests (receive polls aside) | of which tables r/w, blobs r/w, queue sends/deletes | notes |");
        Console.WriteLine("|---|---:|---:|---|---|");
        foreach (var run in runs)
        {
            var o = run.Operations;
            Console.WriteLine($"| {run.Side} | {run.Milliseconds:F0} | {o.Work} | {o.TableReads}/{o.TableWrites}, {o.BlobReads}/{o.BlobWrites}, {o.QueueSends}/{o.QueueOthers} | {run.Notes} |");
        }
        Console.WriteLine($"raw / API time: one after another {runs[1].Milliseconds / runs[0].Milliseconds:F2}, at once {runs[2].Milliseconds / runs[0].Milliseconds:F2}; " +
            $"raw / API storage requests {(double)runs[1].Operations.Work / runs[0].Operations.Work:F2}");
    }

    /// <summary>Issues the signed document as the records clerk and waits until every recipient's row shows a status (01 delivered); answers the times and requests.</summary>
    private static async Task<Timed> IssueThroughApiAsync(Api api, MotCuaTables watch, Api.Signed signed, int recipients, StorageOperationCounter counter)
    {
        var partition = OutgoingRows.Partition(DemoData.NhaTrangWard);
        var before = counter.Snapshot();
        var clock = Stopwatch.StartNew();
        var issued = await api.SendAsync(HttpMethod.Post, $"/api/outgoing/{signed.Id}/issue", Clerk, ifMatch: signed.ETag);
        if (issued.Status != HttpStatusCode.OK) throw new InvalidOperationException($"Issuing {signed.Id} answered {(int)issued.Status}: {issued.Text}");
        var numberedAt = clock.Elapsed.TotalMilliseconds;
        double? sealedAt = null;
        while (true)
        {
            if (sealedAt is null)
            {
                var d = await watch.Dossiers.GetEntityAsync<OutgoingDocumentEntity>(partition, OutgoingRows.Document(signed.Id));
                if (d.Value.State == OutgoingStatus.Issued) sealedAt = clock.Elapsed.TotalMilliseconds;
            }
            var delivered = 0;
            await foreach (var r in watch.Dossiers.QueryAsync<OutgoingRecipientEntity>(OutgoingRows.PrefixFilter(DemoData.NhaTrangWard, OutgoingRows.RecipientPrefix(signed.Id))))
                if (r.Status >= (int)IncomingStatus.Arrived) delivered++;
            if (delivered == recipients) break;
            if (clock.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"{signed.Id} reached {delivered} of {recipients} recipients in five minutes.");
            await Task.Delay(20);
        }
        var elapsed = clock.Elapsed.TotalMilliseconds;
        return new Timed($"API: POST …/issue, then sealing and delivery in the app", elapsed, counter.Snapshot() - before,
            $"numbered (POST answered) {numberedAt:F0} ms, sealed and issued {sealedAt:F0} ms");
    }

    /// <summary>
    /// The writes of an issue, straight through the SDK: the numbering batch, the sealed file, the
    /// issue batch, each with its event sent and its outbox row removed; then for each recipient the
    /// file put into the documents container, its document row, the incoming document's batch (row,
    /// history, source marker, its event and blob-created event), the two events sent and their rows
    /// removed, and the sender's recipient row. Events go to a queue nobody reads.
    /// </summary>
    private sealed class RawIssue(MotCuaTables tables, BlobContainerClient documents, BlobContainerClient results, QueueClient queue)
    {
        private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

        public Task CreateQueueAsync() => queue.CreateIfNotExistsAsync();

        public async Task IssueAsync(OutgoingDocumentEntity template, byte[] file, IReadOnlyList<string> recipients, bool parallel)
        {
            var now = DateTimeOffset.UtcNow;
            var agency = "RAW." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
            var partition = OutgoingRows.Partition(agency);
            var id = OutgoingDocumentId.New(DemoData.NhaTrangWard, VietnamTime.Today(now)).ToString();
            var d = Copy(template, partition, id);
            await tables.Dossiers.AddEntityAsync(d);
            d = (await tables.Dossiers.GetEntityAsync<OutgoingDocumentEntity>(partition, d.RowKey)).Value;

            // Numbering: the series' counter, the register entry, the document, its history and event.
            var year = VietnamTime.Today(now).Year;
            var counter = await tables.Dossiers.GetEntityIfExistsAsync<TableEntity>(partition, OutgoingRows.Counter(year, DocumentNumbering.GeneralSeries));
            var number = (counter.HasValue ? counter.Value!.GetInt32("Last") ?? 0 : 0) + 1;
            (d.Number, d.Year, d.Series, d.Status, d.Version) = (number, year, DocumentNumbering.GeneralSeries, (int)OutgoingStatus.Numbered, d.Version + 1);
            await StepAsync(partition, d, "numbered",
            [
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, OutgoingRows.Counter(year, DocumentNumbering.GeneralSeries)) { ["Last"] = number }),
                new TableTransactionAction(TableTransactionActionType.Add, new RegisterEntryEntity
                {
                    PartitionKey = partition, RowKey = OutgoingRows.RegisterEntry(year, DocumentNumbering.GeneralSeries, number), DocumentId = id, Year = year, Number = number,
                    RegisteredAt = now,
                }),
            ]);

            // The sealed file, then the issue.
            var issuedName = OutgoingFiles.Issued(id);
            await results.GetBlobClient(issuedName).UploadAsync(new MemoryStream(file, writable: false), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/pdf" },
                TransferOptions = new StorageTransferOptions { InitialTransferSize = 4 << 20, MaximumTransferSize = 4 << 20, MaximumConcurrency = 1 },
            });
            d = (await tables.Dossiers.GetEntityAsync<OutgoingDocumentEntity>(partition, d.RowKey)).Value;
            (d.IssuedBlob, d.IssuedAt, d.Status, d.Version) = (issuedName, now, (int)OutgoingStatus.Issued, d.Version + 1);
            await StepAsync(partition, d, "issued", []);

            var sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
            if (parallel) await Task.WhenAll(recipients.Select(r => DeliverAsync(d, r, file, sha256)));
            else foreach (var r in recipients) await DeliverAsync(d, r, file, sha256);
        }

        private async Task DeliverAsync(OutgoingDocumentEntity d, string recipient, byte[] file, string sha256)
        {
            var now = DateTimeOffset.UtcNow;
            var partition = IncomingRows.Partition(recipient);
            var id = IncomingDocumentId.New(recipient, VietnamTime.Today(now)).ToString();
            var owner = Guid.CreateVersion7().ToString("N");
            var documentId = Guid.CreateVersion7().ToString("N");
            var blobName = $"{owner}/{documentId}";
            await documents.GetBlobClient(blobName).UploadAsync(new MemoryStream(file, writable: false), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/pdf" },
                Metadata = new Dictionary<string, string> { ["dossierid"] = owner, ["documentid"] = documentId },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                TransferOptions = new StorageTransferOptions { InitialTransferSize = 4 << 20, MaximumTransferSize = 4 << 20, MaximumConcurrency = 1 },
            });
            await tables.Documents.AddEntityAsync(new DocumentEntity
            {
                PartitionKey = owner, RowKey = documentId, DossierCode = id, FileName = "cong-van.pdf", ContentType = "application/pdf", Length = file.Length,
                Sha256 = sha256, BlobName = blobName, UploadedAt = now,
            });
            var sourceId = new QcvnDocumentId(DemoData.NhaTrangWard, VietnamTime.Today(now), DocumentNumbering.Number(d.Number!.Value), "UBND-VHXH").ToString();
            var incoming = new IncomingDocumentEntity
            {
                PartitionKey = partition, RowKey = IncomingRows.Document(id), Id = id, Agency = recipient, Status = (int)IncomingStatus.Arrived, Channel = "electronic",
                Priority = d.Priority, ArrivedAt = now, ArrivedBy = IncomingDelivery.Deliverer, SenderId = DemoData.NhaTrangWard, SenderName = "Ủy ban nhân dân phường Nha Trang",
                Number = DocumentNumbering.Number(d.Number!.Value), Notation = "UBND-VHXH", DocumentDate = Days.Format(VietnamTime.Today(now)), DocumentType = d.DocumentType,
                Summary = d.Summary, SourceDocumentId = sourceId, FileCount = 1, FilesOwner = owner, OriginOutgoingId = d.Id,
            };
            var entry = IncomingHistoryEntry.Append(0, string.Empty, now, IncomingDelivery.Deliverer, "arrived", IncomingStatus.Arrived, IncomingStatus.Arrived,
                $"Văn bản điện tử {incoming.Number}/{incoming.Notation} của {incoming.SenderName} đến qua hệ thống.", string.Empty);
            (incoming.Version, incoming.LastHistoryHash) = (entry.Sequence, entry.Hash);
            var arrived = OutboxEntity.Create(partition, IncomingEvent.Queue, IncomingEvent.Subject, BinaryData.FromObjectAsJson(new IncomingEvent(id, recipient, 1, "arrived",
                1, 1, IncomingDelivery.Deliverer, now, d.Priority, false, d.Summary, null, null, null, [], [], null, null), Json), TraceParent);
            var blobCreated = OutboxEntity.Create(partition, "blob-created", "Microsoft.Storage.BlobCreated", BinaryData.FromObjectAsJson(new
            {
                id = Guid.NewGuid(), subject = $"/blobServices/default/containers/{documents.Name}/blobs/{blobName}", eventType = "Microsoft.Storage.BlobCreated",
                eventTime = now, data = new { api = "PutBlob", contentType = "application/pdf", contentLength = file.Length, blobType = "BlockBlob", url = documents.GetBlobClient(blobName).Uri },
            }, Json), TraceParent);
            var mark = await tables.Outbox.UpsertEntityAsync(PendingOutbox.For(partition), TableUpdateMode.Replace);
            await tables.Dossiers.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, incoming),
                new TableTransactionAction(TableTransactionActionType.Add, IncomingHistoryEntity.From(recipient, id, entry)),
                new TableTransactionAction(TableTransactionActionType.Add, arrived),
                new TableTransactionAction(TableTransactionActionType.Add, blobCreated),
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, IncomingRows.Source(sourceId + "-" + id)) { ["DocumentId"] = id }),
            ]);
            await SendAndRemoveAsync(partition, [arrived, blobCreated], mark.Headers.ETag);
            await tables.Dossiers.AddEntityAsync(new OutgoingRecipientEntity
            {
                PartitionKey = d.PartitionKey, RowKey = OutgoingRows.Recipient(d.Id, recipient), DocumentId = d.Id, Recipient = recipient, Name = recipient, Internal = true,
                Status = (int)IncomingStatus.Arrived, UpdatedAt = now, IncomingId = id,
            });
        }

        /// <summary>One step of the document: its row under its ETag, its history entry, its event and <paramref name="rows"/>, then the event sent.</summary>
        private async Task StepAsync(string partition, OutgoingDocumentEntity d, string action, IReadOnlyList<TableTransactionAction> rows)
        {
            var now = DateTimeOffset.UtcNow;
            var message = OutboxEntity.Create(partition, OutgoingEvent.Queue, OutgoingEvent.Subject, BinaryData.FromObjectAsJson(new OutgoingEvent(d.Id, d.Agency, d.Version,
                action, d.Status - 1, d.Status, Clerk.Id, now, d.Priority, false, d.Summary), Json), TraceParent);
            var mark = await tables.Outbox.UpsertEntityAsync(PendingOutbox.For(partition), TableUpdateMode.Replace);
            await tables.Dossiers.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, d, d.ETag),
                new TableTransactionAction(TableTransactionActionType.Add, new OutgoingHistoryEntity
                {
                    PartitionKey = partition, RowKey = OutgoingRows.History(d.Id, d.Version), Sequence = d.Version, At = now, Actor = Clerk.Id, Action = action,
                    FromStatus = d.Status - 1, ToStatus = d.Status, Comment = action, Details = "{}", PreviousHash = d.LastHistoryHash, Hash = d.LastHistoryHash,
                }),
                new TableTransactionAction(TableTransactionActionType.Add, message),
                .. rows,
            ]);
            await SendAndRemoveAsync(partition, [message], mark.Headers.ETag);
        }

        private async Task SendAndRemoveAsync(string partition, IReadOnlyList<OutboxEntity> messages, ETag? mark)
        {
            foreach (var m in messages)
            {
                await queue.SendMessageAsync(QueueEnvelope.From(new OutgoingMessage(m.MessageId, m.Subject, BinaryData.FromString(m.Body), partition,
                    new Dictionary<string, string> { ["traceparent"] = TraceParent })).ToText());
            }
            await tables.Dossiers.SubmitTransactionAsync([.. messages.Select(m => new TableTransactionAction(TableTransactionActionType.Delete, m, ETag.All))]);
            try
            {
                await tables.Outbox.DeleteEntityAsync(PendingOutbox.Partition, partition, mark ?? ETag.All);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
            }
        }
    }

    private static OutgoingDocumentEntity Copy(OutgoingDocumentEntity template, string partition, string id)
    {
        var d = new OutgoingDocumentEntity();
        foreach (var property in typeof(OutgoingDocumentEntity).GetProperties().Where(p => p.CanWrite && p.Name is not (nameof(ITableEntity.ETag) or nameof(ITableEntity.Timestamp))))
            property.SetValue(d, property.GetValue(template));
        (d.PartitionKey, d.RowKey, d.Id, d.ETag, d.Status, d.Version) = (partition, OutgoingRows.Document(id), id, default, (int)OutgoingStatus.Signed, 5);
        (d.Number, d.Year, d.Series, d.Notation, d.IssueDate, d.IssuedBlob, d.IssuedAt) = (null, null, null, "UBND-VHXH", Days.Format(VietnamTime.Today(DateTimeOffset.UtcNow)), null, null);
        return d;
    }

    // --- 2. numbering at 64 concurrent on one agency ---

    private sealed record Run(string Side, double Rate, double P50, double P99, int Count, int Retries, double Seconds);

    private static async Task NumberingAsync(TestPki pki, Dictionary<string, string?> settings, int documents)
    {
        // As the incoming registrations are measured: the app as the Functions host runs it, so no queue consumer (the sealing) runs meanwhile.
        await using var bench = await BenchmarkApp.StartAsync("m", Clerk.Id, documents, settings: settings);
        var api = new Api(bench);
        var tables = bench.App.Services.GetRequiredService<MotCuaTables>();
        using var phone = await Phone.RegisterAsync(api, pki);
        var pdf = OutgoingPdf();
        const int Warm = 8;
        Console.WriteLine();
        Console.WriteLine($"Numbering {documents} signed documents at once on one agency ({documents} concurrent), after a warm-up of {Warm}");
        var clock = Stopwatch.StartNew();
        var signed = new ConcurrentBag<Api.Signed>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Warm + documents), new ParallelOptions { MaxDegreeOfParallelism = Preparing },
            async (_, _) => signed.Add(await api.SignedAsync(phone, [DemoData.CamLamCommune], pdf)));
        Console.WriteLine($"{signed.Count} documents drafted, reviewed and signed on the phone in {clock.Elapsed.TotalSeconds:F1} s");
        var all = signed.ToList();
        var template = (await tables.Dossiers.GetEntityAsync<OutgoingDocumentEntity>(OutgoingRows.Partition(DemoData.NhaTrangWard), OutgoingRows.Document(all[0].Id))).Value;

        var raw = new RawNumbering(tables);
        var racing = await raw.PrepareAsync("RAW.RACING", template, Warm + documents);
        var turns = await raw.PrepareAsync("RAW.TURNS", template, Warm + documents);
        Func<string, Task<int>> apiSide = id => api.IssueAsync(all.Single(s => s.Id == id));
        var sides = new (string Name, List<string> Ids, Func<string, Task<int>> Number)[]
        {
            ("API (POST …/issue, If-Match, answer = the document's view)", all.Select(s => s.Id).ToList(), apiSide),
            ("raw SDK, racing on the counter (read, batch counter + entry + document, retry on 412/409)", racing, id => raw.NumberAsync("RAW.RACING", id, null)),
            ("raw SDK, taking turns on the counter", turns, id => raw.NumberAsync("RAW.TURNS", id, raw.Turn)),
        };
        foreach (var side in sides) await TimeAsync(side.Name, side.Ids[..Warm], documents, side.Number);
        var runs = new List<Run>();
        foreach (var side in sides) runs.Add(await TimeAsync(side.Name, side.Ids[Warm..], documents, side.Number));

        Console.WriteLine();
        Console.WriteLine("| side | per second | p50 ms | p99 ms | all numbered in ms | numbered | retried batches |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
            Console.WriteLine($"| {run.Side} | {run.Rate:F0} | {run.P50:F0} | {run.P99:F0} | {run.Seconds * 1000:F0} | {run.Count} | {run.Retries} |");
        Console.WriteLine($"API / raw racing {runs[0].Rate / runs[1].Rate:F2}, API / raw taking turns {runs[0].Rate / runs[2].Rate:F2}");
        foreach (var (name, agency) in new[] { ("API", DemoData.NhaTrangWard), ("raw racing", "RAW.RACING"), ("raw taking turns", "RAW.TURNS") })
            Console.WriteLine($"register of the {name} side: {await RegisterCheck.ReadAsync(tables, agency)}");
    }

    private static async Task<Run> TimeAsync(string side, IReadOnlyList<string> ids, int concurrency, Func<string, Task<int>> number)
    {
        var queue = new ConcurrentQueue<string>(ids);
        var latencies = new ConcurrentBag<double>();
        var retries = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            await Task.Yield();
            while (queue.TryDequeue(out var id))
            {
                var start = Stopwatch.GetTimestamp();
                Interlocked.Add(ref retries, await number(id));
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToArray();
        return new Run(side, sorted.Length / elapsed, sorted[sorted.Length / 2], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))], sorted.Length, retries,
            elapsed);
    }

    /// <summary>The numbering's own storage work with nothing of ours between: read the series' counter, one batch of counter, register entry and document under their ETags.</summary>
    private sealed class RawNumbering(MotCuaTables tables)
    {
        private readonly ConcurrentDictionary<string, OutgoingDocumentEntity> _documents = new();

        public SemaphoreSlim Turn { get; } = new(1, 1);

        public async Task<List<string>> PrepareAsync(string agency, OutgoingDocumentEntity template, int count)
        {
            var ids = new List<string>();
            for (var i = 0; i < count; i++)
            {
                var id = OutgoingDocumentId.New(DemoData.NhaTrangWard, VietnamTime.Today(DateTimeOffset.UtcNow)).ToString();
                var d = Copy(template, OutgoingRows.Partition(agency), id);
                d.Agency = agency;
                var added = await tables.Dossiers.AddEntityAsync(d);
                d.ETag = added.Headers.ETag!.Value;
                _documents[id] = d;
                ids.Add(id);
            }
            return ids;
        }

        public async Task<int> NumberAsync(string agency, string id, SemaphoreSlim? turn)
        {
            var partition = OutgoingRows.Partition(agency);
            var d = _documents[id];
            var year = VietnamTime.Today(DateTimeOffset.UtcNow).Year;
            for (var retries = 0; ; retries++)
            {
                if (turn is not null) await turn.WaitAsync();
                try
                {
                    var counter = await tables.Dossiers.GetEntityIfExistsAsync<TableEntity>(partition, OutgoingRows.Counter(year, DocumentNumbering.GeneralSeries));
                    var number = (counter.HasValue ? counter.Value!.GetInt32("Last") ?? 0 : 0) + 1;
                    var next = new TableEntity(partition, OutgoingRows.Counter(year, DocumentNumbering.GeneralSeries)) { ["Last"] = number };
                    (d.Number, d.Year, d.Series, d.Status) = (number, year, DocumentNumbering.GeneralSeries, (int)OutgoingStatus.Numbered);
                    await tables.Dossiers.SubmitTransactionAsync(
                    [
                        counter.HasValue
                            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, next, counter.Value!.ETag)
                            : new TableTransactionAction(TableTransactionActionType.Add, next),
                        new TableTransactionAction(TableTransactionActionType.Add, new RegisterEntryEntity
                        {
                            PartitionKey = partition, RowKey = OutgoingRows.RegisterEntry(year, DocumentNumbering.GeneralSeries, number), DocumentId = id, Year = year,
                            Number = number, RegisteredAt = DateTimeOffset.UtcNow,
                        }),
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, d, d.ETag),
                    ]);
                    return retries;
                }
                catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
                {
                    // Another worker took the number: the batch wrote nothing, so the document's ETag still holds.
                }
                finally
                {
                    turn?.Release();
                }
            }
        }
    }

    /// <summary>One series' register of one agency this year: its numbers against the documents that carry them.</summary>
    private sealed record RegisterCheck(int Entries, int Highest, int Gaps, int Duplicates, int NumberedDocuments, int Mismatched)
    {
        public static async Task<RegisterCheck> ReadAsync(MotCuaTables tables, string agency)
        {
            var year = VietnamTime.Today(DateTimeOffset.UtcNow).Year;
            var entries = new List<RegisterEntryEntity>();
            await foreach (var e in tables.Dossiers.QueryAsync<RegisterEntryEntity>(OutgoingRows.PrefixFilter(agency, OutgoingRows.RegisterEntry(year, DocumentNumbering.GeneralSeries, 0)[..^6])))
                entries.Add(e);
            var documents = new Dictionary<string, OutgoingDocumentEntity>(StringComparer.Ordinal);
            await foreach (var d in tables.Dossiers.QueryAsync<OutgoingDocumentEntity>(OutgoingRows.PrefixFilter(agency, OutgoingRows.DocumentPrefix)))
                if (d.Number is not null) documents[d.Id] = d;
            var numbers = entries.Select(e => e.Number).ToList();
            var highest = numbers.DefaultIfEmpty(0).Max();
            var distinct = numbers.Distinct().Count();
            var mismatched = entries.Count(e => !documents.TryGetValue(e.DocumentId, out var d) || d.Number != e.Number)
                + documents.Values.Count(d => numbers.Count(n => n == d.Number) != 1);
            return new RegisterCheck(entries.Count, highest, highest - distinct, numbers.Count - distinct, documents.Count, mismatched);
        }

        public override string ToString() =>
            $"{Entries} entries, numbers 1..{Highest}, {Gaps} gaps, {Duplicates} duplicates, {NumberedDocuments} numbered documents, {Mismatched} mismatched";
    }

    private static byte[] OutgoingPdf() => SignedPdfBuilder.CreatePdf(["UY BAN NHAN DAN PHUONG NHA TRANG", "So:      /UBND-VHXH", "CONG VAN", "Kinh gui: UBND xa Cam Lam"]);

    /// <summary>The API as the demo users use it, each request with that user's token.</summary>
    private sealed class Api(BenchmarkApp bench)
    {
        private readonly LocalTokens _tokens = bench.App.Services.GetRequiredService<LocalTokens>();

        public sealed record Answer(HttpStatusCode Status, byte[] Bytes, string? ETag)
        {
            public string Text => System.Text.Encoding.UTF8.GetString(Bytes);

            public JsonElement Body => JsonDocument.Parse(Bytes).RootElement.Clone();
        }

        public sealed record Signed(string Id, string ETag);

        public async Task<Answer> SendAsync(HttpMethod method, string path, CurrentUser user, HttpContent? content = null, string? ifMatch = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.Issue(user, TimeSpan.FromHours(1)));
            if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            using var response = await bench.Http.SendAsync(request);
            return new Answer(response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Headers.ETag?.ToString());
        }

        private async Task<Answer> ExpectAsync(HttpStatusCode expected, string what, HttpMethod method, string path, CurrentUser user, HttpContent? content = null,
            string? ifMatch = null)
        {
            var answer = await SendAsync(method, path, user, content, ifMatch);
            if (answer.Status != expected) throw new InvalidOperationException($"{what} answered {(int)answer.Status}: {answer.Text}");
            return answer;
        }

        /// <summary>Communes of the province, added to the catalogue as the administrator does.</summary>
        public async Task<string[]> AddAgenciesAsync(int count)
        {
            var codes = Enumerable.Range(1, count).Select(i => $"000.{i:D2}.39.H56").ToArray();
            for (var i = 0; i < codes.Length; i++)
            {
                await ExpectAsync(HttpStatusCode.OK, "Adding a unit", HttpMethod.Put, $"/api/units/{codes[i]}", Admin,
                    JsonContent.Create(new { name = $"Ủy ban nhân dân xã Thử Nghiệm {i + 1}", parent = DemoData.Province, abbreviation = "UBND" }));
            }
            return codes;
        }

        /// <summary>Drafted by the officer with its PDF, passed by the department head, signed on the chairman's phone.</summary>
        public async Task<Signed> SignedAsync(Phone phone, IReadOnlyList<string> recipients, byte[] pdf)
        {
            var drafted = await ExpectAsync(HttpStatusCode.Created, "Drafting", HttpMethod.Post, $"/api/agencies/{DemoData.NhaTrangWard}/outgoing", Officer, JsonContent.Create(new
            {
                documentType = "Công văn",
                summary = "V/v triển khai kế hoạch chuyển đổi số năm 2027 trên địa bàn tỉnh",
                recipients = recipients.Select(r => new { agency = r }).ToArray(),
                signer = Chairman.Id,
                otherRecipients = new[] { "Lưu: VT, VHXH." },
            }));
            var id = drafted.Body.GetProperty("id").GetString()!;
            var content = new ByteArrayContent(pdf);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            var put = await ExpectAsync(HttpStatusCode.OK, "Putting the PDF", HttpMethod.Put, $"/api/outgoing/{id}/document?fileName=cong-van.pdf", Officer, content, drafted.ETag);
            var submitted = await ExpectAsync(HttpStatusCode.OK, "Submitting", HttpMethod.Post, $"/api/outgoing/{id}/submission", Officer, null, put.ETag);
            var passed = await ExpectAsync(HttpStatusCode.OK, "Reviewing", HttpMethod.Post, $"/api/outgoing/{id}/review", DepartmentHead,
                JsonContent.Create(new { decision = "pass" }), submitted.ETag);
            var prepared = (await ExpectAsync(HttpStatusCode.OK, "Preparing the signature", HttpMethod.Post, $"/api/outgoing/{id}/signing", Chairman,
                JsonContent.Create(new { keyId = phone.KeyId }))).Body;
            var signature = new
            {
                preparationId = prepared.GetProperty("preparationId").GetString(),
                value = Convert.ToBase64String(phone.SignDigest(Convert.FromBase64String(prepared.GetProperty("digestToSign").GetString()!))),
            };
            var signed = await ExpectAsync(HttpStatusCode.OK, "Signing", HttpMethod.Post, $"/api/outgoing/{id}/approval", Chairman,
                JsonContent.Create(new { decision = "sign", signature }), passed.ETag);
            return new Signed(id, signed.ETag!);
        }

        public async Task<int> IssueAsync(Signed signed)
        {
            await ExpectAsync(HttpStatusCode.OK, $"Issuing {signed.Id}", HttpMethod.Post, $"/api/outgoing/{signed.Id}/issue", Clerk, null, signed.ETag);
            return 0;
        }

        public async Task<byte[]> FileAsync(string id) => (await ExpectAsync(HttpStatusCode.OK, "Downloading", HttpMethod.Get, $"/api/outgoing/{id}/file", Clerk)).Bytes;

        /// <summary>Waits until the app's queues have been empty for two seconds in a row (the checks of delivered files, the events' handlers).</summary>
        public async Task SettleAsync(BenchmarkApp app)
        {
            var queues = app.App.Services.GetRequiredService<QueueServiceClient>();
            var start = Stopwatch.GetTimestamp();
            for (var quiet = 0; quiet < 4; await Task.Delay(500))
            {
                long waiting = 0;
                await foreach (var q in queues.GetQueuesAsync(prefix: app.Prefix))
                    if (!q.Name.EndsWith("raw-deliveries", StringComparison.Ordinal))
                        waiting += (await queues.GetQueueClient(q.Name).GetPropertiesAsync()).Value.ApproximateMessagesCount;
                quiet = waiting == 0 ? quiet + 1 : 0;
                if (Stopwatch.GetElapsedTime(start) > TimeSpan.FromMinutes(5)) throw new TimeoutException("The app's queues did not empty within five minutes.");
            }
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
            var certificate = pki.IssueSigner($"CN={Chairman.Name}, O=UBND phường Nha Trang, C=VN", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1),
                TestKeyKind.EcdsaP256);
            using var key = certificate.GetECDsaPublicKey()!;
            var registered = await api.SendAsync(HttpMethod.Post, "/api/me/device-keys", Chairman, JsonContent.Create(new
            {
                deviceName = "Điện thoại của chủ tịch", publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), certificate = Convert.ToBase64String(certificate.RawData),
            }));
            if (registered.Status != HttpStatusCode.Created) throw new InvalidOperationException($"Registering the phone answered {(int)registered.Status}: {registered.Text}");
            return new Phone(certificate, registered.Body.GetProperty("keyId").GetString()!);
        }

        /// <summary>As Android Keystore's NONEwithECDSA answers, r||s.</summary>
        public byte[] SignDigest(byte[] digest) => _key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        public void Dispose()
        {
            _key.Dispose();
            _certificate.Dispose();
        }
    }
}
