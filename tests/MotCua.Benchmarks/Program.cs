using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using MotCua.FunctionApp;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Storage;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Outbox;
using MotCua.Domain.Dossiers;
using MotCua.Domain.History;
using MotCua.Messaging.StorageQueues;
using Azure.Storage;
using Azure.Storage.Blobs.Models;

if (args is ["statistics", ..]) return await MotCua.Benchmarks.StatisticsBenchmark.RunAsync(args[1..]);
if (args is ["documents", ..]) return await MotCua.Benchmarks.DocumentBenchmarks.RunAsync(args[1..]);
if (args is ["notifications", ..]) return await MotCua.Benchmarks.NotificationBenchmark.RunAsync(args[1..]);
if (args is ["servicebus", ..]) return await MotCua.Benchmarks.ServiceBusBenchmark.RunAsync(args[1..]);
if (args is ["servicebus-peer", ..]) return await MotCua.Benchmarks.ServiceBusPeerCommand.RunAsync(args[1..]);
if (args is ["outbox", ..]) return await MotCua.Benchmarks.OutboxBenchmark.RunAsync(args[1..]);
if (args is ["signing", ..]) return await MotCua.Benchmarks.SigningBenchmark.RunAsync(args[1..]);
if (args is ["incoming", ..]) return await MotCua.Benchmarks.IncomingBenchmark.RunAsync(args[1..]);
if (args is ["outgoing", ..]) return await MotCua.Benchmarks.OutgoingBenchmark.RunAsync(args[1..]);
if (args is ["coldstart", ..]) return await MotCua.Benchmarks.ColdStartBenchmark.RunAsync(args[1..]);
if (args is ["exchange", ..]) return await MotCua.Benchmarks.ExchangeBenchmark.RunAsync(args[1..]);

// Submissions per second through the API on loopback, against the raw cost of the storage
// operations one submission makes, measured in the same run against the same Azurite.
//   dotnet run -c Release --project tests/MotCua.Benchmarks -- [seconds=20] [concurrency=16] [kilobytes=100]
//   dotnet run -c Release --project tests/MotCua.Benchmarks -- statistics [dossiers=100000]
//   dotnet run -c Release --project tests/MotCua.Benchmarks -- documents signatures|ocr|memory (see DocumentBenchmarks)
//   dotnet run -c Release --project tests/MotCua.Benchmarks -- notifications [dossiers=200] [fcmLatencyMs=0]
//   dotnet run -c Release --project tests/MotCua.Benchmarks -- servicebus [messages=5000] [bytes=1024] [rounds=2]
//   dotnet run -c Release --project tests/MotCua.Benchmarks -- outbox [dossiers=600] [rowsPerDossier=3] [rounds=2]
//   dotnet run -c Release --project tests/MotCua.Benchmarks -- signing [dossiers=20] [rounds=5] [largeMegabytes=100]
//   dotnet run -c Release --project tests/MotCua.Benchmarks -- incoming [registrations=640] [rounds=2]
//   dotnet run -c Release --project tests/MotCua.Benchmarks -- outgoing [all|issue|numbering] [recipients=20] [documents=64]
//   dotnet run -c Release --project tests/MotCua.Benchmarks -- exchange [packages=40] [largeMegabytes=100]
//   dotnet run -c Release --project tests/MotCua.Benchmarks -- servicebus-peer [port]   (serves the local Service Bus peer)
//   dotnet run -c Release --project tests/MotCua.Benchmarks -- coldstart [runs=10] [publish options...]  (see ColdStartBenchmark)
var seconds = args.Length > 0 ? int.Parse(args[0]) : 20;
var concurrency = args.Length > 1 ? int.Parse(args[1]) : 16;
var kilobytes = args.Length > 2 ? int.Parse(args[2]) : 100;
var pdf = MakePdf(kilobytes * 1024);

await using var bench = await MotCua.Benchmarks.BenchmarkApp.StartAsync("b", "citizen-001", concurrency);
var (app, prefix, http) = (bench.App, bench.Prefix, bench.Http);
var dossierJson = JsonSerializer.Serialize(new
{
    procedureCode = "1.001193",
    receivingUnit = DemoData.NhaTrangWard,
    applicant = new { fullName = "Nguyễn Thị Hoa", idNumber = "001190012345" },
});

async Task SubmitAsync()
{
    using var form = new MultipartFormDataContent();
    form.Add(new StringContent(dossierJson, Encoding.UTF8, "application/json"), "dossier");
    var file = new ByteArrayContent(pdf);
    file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
    form.Add(file, "document", "to-khai.pdf");
    using var response = await http.PostAsync("/api/dossiers", form);
    if ((int)response.StatusCode != 201) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
}

// The raw storage operations of one submission, as the SDK clients do them with no app around.
var tables = app.Services.GetRequiredService<MotCuaTables>();
var container = app.Services.GetRequiredService<BlobContainerClient>();
var queue = app.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(prefix + "document-received");
var events = app.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(prefix + "dossier-events");
var counterGate = new SemaphoreSlim(1, 1);
var counter = (Value: 0, ETag: (ETag?)null);
var rawUnit = "RAW.BENCH";

async Task RawAsync()
{
    var now = DateTimeOffset.UtcNow;
    var dossierId = Guid.CreateVersion7().ToString("N");
    var documentId = Guid.CreateVersion7().ToString("N");
    var blobName = $"{dossierId}/{documentId}";
    // The same upload as the app's: one request from a buffer (files up to a block), the same headers, metadata and condition.
    await container.GetBlobClient(blobName).UploadAsync(new MemoryStream(pdf, writable: false), new BlobUploadOptions
    {
        HttpHeaders = new BlobHttpHeaders { ContentType = "application/pdf" },
        Metadata = new Dictionary<string, string> { ["dossierid"] = dossierId, ["documentid"] = documentId },
        Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        TransferOptions = new StorageTransferOptions { InitialTransferSize = 4 << 20, MaximumTransferSize = 4 << 20, MaximumConcurrency = 1 },
    });
    var sha256 = Convert.ToHexStringLower(SHA256.HashData(pdf));
    int sequence;
    await counterGate.WaitAsync();
    try
    {
        var entity = new TableEntity(rawUnit, "261122") { ["Value"] = counter.Value + 1 };
        var response = counter.ETag is { } etag
            ? await tables.Counters.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace)
            : await tables.Counters.UpsertEntityAsync(entity, TableUpdateMode.Replace);
        counter = (counter.Value + 1, response.Headers.ETag);
        sequence = counter.Value;
    }
    finally
    {
        counterGate.Release();
    }
    var code = $"{rawUnit}-261122-{sequence:D6}";
    await tables.Documents.SubmitTransactionAsync([new(TableTransactionActionType.Add, new DocumentEntity
    {
        PartitionKey = dossierId, RowKey = documentId, DossierCode = code, FileName = "to-khai.pdf", ContentType = "application/pdf",
        Length = pdf.Length, Sha256 = sha256, BlobName = blobName, UploadedAt = now,
    })]);
    await tables.Outbox.UpsertEntityAsync(PendingOutbox.For(code), TableUpdateMode.Replace);
    var entry = HistoryChain.Append(0, HistoryChain.Genesis, now, "citizen-001",
        new StatusChange(DossierStatus.Receiving, DossierStatus.Receiving, "submitted", "Nộp hồ sơ qua kênh online với 1 tài liệu."), "submission");
    var traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    var outboxRow = OutboxEntity.Create(code, "document-received", "document-received",
        BinaryData.FromString($"{{\"dossierCode\":\"{code}\",\"documentCount\":1}}"), traceParent);
    var eventRow = OutboxEntity.Create(code, "dossier-events", DossierEvent.Subject, BinaryData.FromObjectAsJson(new DossierEvent(code, 1, "submitted", 0, 0,
        "citizen-001", now, "1.001193", "Đăng ký khai sinh", DemoData.NhaTrangWard, DemoData.NhaTrangWard, null, -1, null, null, "citizen-001",
        "Nguyễn Thị Hoa", null, null), JsonSerializerOptions.Web), traceParent);
    await tables.Dossiers.SubmitTransactionAsync(
    [
        new(TableTransactionActionType.Add, new DossierEntity
        {
            PartitionKey = code, DossierId = dossierId, ProcedureCode = "1.001193", ProcedureName = "Đăng ký khai sinh",
            ReceivingUnit = DemoData.NhaTrangWard, Channel = "online", SubmittedBy = "citizen-001", SubmittedAt = now, UpdatedAt = now,
            DocumentCount = 1, HistoryCount = 1, LastHistoryHash = entry.Hash, ApplicantName = "Nguyễn Thị Hoa", ProcedureVersion = 1,
            OwnerId = "citizen-001", HolderUnit = DemoData.NhaTrangWard, LookupPin = "123456",
            ApplicantNameFolded = "nguyen thi hoa", ApplicantIdNumber = "001190012345",
        }),
        new(TableTransactionActionType.Add, new HistoryEntity
        {
            PartitionKey = code, RowKey = "history-000001", Sequence = 1, At = now, Actor = "citizen-001", Action = entry.Action,
            Comment = entry.Comment, CausedBy = entry.CausedBy, PreviousHash = entry.PreviousHash, Hash = entry.Hash,
        }),
        new(TableTransactionActionType.Add, outboxRow),
        new(TableTransactionActionType.Add, eventRow),
    ]);
    foreach (var (row, target) in new[] { (outboxRow, queue), (eventRow, events) })
    {
        await target.SendMessageAsync(QueueEnvelope.From(new MotCua.Messaging.OutgoingMessage(row.MessageId, row.Subject,
            BinaryData.FromString(row.Body), code, new Dictionary<string, string> { ["traceparent"] = row.TraceParent! })).ToText());
    }
    await tables.Dossiers.SubmitTransactionAsync([new(TableTransactionActionType.Delete, outboxRow, ETag.All), new(TableTransactionActionType.Delete, eventRow, ETag.All)]);
    await tables.Outbox.DeleteEntityAsync(PendingOutbox.Partition, code, ETag.All);
}

Console.WriteLine($"Loopback, Azurite, {Environment.ProcessorCount} cores, {concurrency} concurrent, {kilobytes} KB PDF, {seconds} s per run");
await MeasureAsync(SubmitAsync, concurrency, 3); // warm-up
await MeasureAsync(RawAsync, concurrency, 3);
var api = await MeasureAsync(SubmitAsync, concurrency, seconds);
var raw = await MeasureAsync(RawAsync, concurrency, seconds);
Console.WriteLine();
Console.WriteLine("| run | per second | p50 ms | p99 ms | count |");
Console.WriteLine("|---|---:|---:|---:|---:|");
Console.WriteLine($"| API submission (HTTP multipart) | {api.Rate:F0} | {api.P50:F1} | {api.P99:F1} | {api.Count} |");
Console.WriteLine($"| raw storage ops of one submission | {raw.Rate:F0} | {raw.P50:F1} | {raw.P99:F1} | {raw.Count} |");
Console.WriteLine();
Console.WriteLine($"API / raw-storage bound: {api.Rate / raw.Rate:F2}");
return 0;

static async Task<(double Rate, double P50, double P99, int Count)> MeasureAsync(Func<Task> operation, int concurrency, int seconds)
{
    var latencies = new List<double>[concurrency];
    var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
    {
        var mine = latencies[worker] = [];
        while (Stopwatch.GetTimestamp() < until)
        {
            var start = Stopwatch.GetTimestamp();
            await operation();
            mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }));
    var elapsed = clock.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return (all.Length / elapsed, all[all.Length / 2], all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))], all.Length);
}

static byte[] MakePdf(int size)
{
    var head = "%PDF-1.7\n%"u8.ToArray();
    var bytes = new byte[size];
    RandomNumberGenerator.Fill(bytes);
    head.CopyTo(bytes, 0);
    return bytes;
}
