using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Documents;
using MotCua.FunctionApp.Documents.Processing;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Outbox;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

/// <summary>The app as the Functions host sees it: invocations POSTed to /{FunctionName} in the documented shapes.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CustomHandlerTests
{
    private static readonly string Name = DocumentReceivedFunction.Declaration.Name;
    private static readonly string Path = "/" + Name;

    private static string Fixture(string name) => File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Fact]
    public void DocumentedQueuePayload_Deserializes_WithDataAndMetadata()
    {
        var request = JsonSerializer.Deserialize<InvocationRequest>(Fixture("queue-trigger-documented.json"))!;
        Assert.Equal("{ message: \"Message sent\" }", TriggerValues.ReadText(request.Data["myQueueItem"]));
        Assert.Equal(1, request.Metadata["DequeueCount"].GetInt32());
        Assert.Equal("QueueTrigger", request.Metadata["sys"].GetProperty("MethodName").GetString());
    }

    [Fact]
    public void InvocationResponse_Serializes_WithTheDocumentedMemberNames()
    {
        var documented = JsonDocument.Parse(Fixture("invocation-response-documented.json")).RootElement;
        var ours = JsonSerializer.SerializeToElement(new InvocationResponse(new() { ["res"] = new { body = "x" } }, ["a log"], "r"));
        Assert.Equal(documented.EnumerateObject().Select(p => p.Name), ours.EnumerateObject().Select(p => p.Name));
        var roundTrip = JsonSerializer.Deserialize<InvocationResponse>(documented.GetRawText())!;
        Assert.Equal(["Log message 1", "Log message 2"], roundTrip.Logs);
    }

    [Fact]
    public async Task QueueTrigger_DeliveredTwiceInBothEncodings_RecordsOneHistoryEntry()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        var message = Assert.Single(await app.TakeQueuedAsync(QueueNames.DocumentReceived));
        var text = HostPayloads.EnvelopeText(message);

        foreach (var doubled in new[] { false, true, false })
        {
            using var response = await app.Http.PostAsync(Path, HostPayloads.Content(HostPayloads.StorageQueue(Name, text, doubleEncoded: doubled)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(body.TryGetProperty("Outputs", out _) && body.TryGetProperty("Logs", out _) && body.TryGetProperty("ReturnValue", out _));
        }

        var view = await DossierApi.GetAsync(app, submitted.Code, Users.Citizen);
        Assert.Equal((int)DossierStatus.Registered, view!.Status.Code);
        Assert.Single(view.History, h => h.Action == DocumentIntake.Action);
        var registered = (await app.Services.GetRequiredService<DossierStore>().HistoryAsync(submitted.Code, CancellationToken.None)).Single(h => h.Action == DocumentIntake.Action);
        Assert.Equal(message.MessageId, registered.CausedBy);
    }

    [Fact]
    public async Task QueueTrigger_DeliveredConcurrently_RecordsOneHistoryEntry()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        var message = Assert.Single(await app.TakeQueuedAsync(QueueNames.DocumentReceived));
        var payload = HostPayloads.StorageQueue(Name, HostPayloads.EnvelopeText(message));

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => app.Http.PostAsync(Path, HostPayloads.Content(payload))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var view = await DossierApi.GetAsync(app, submitted.Code, Users.Citizen);
        Assert.Equal(2, view!.History.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ServiceBusTrigger_BodyAndMessageMetadata_ReachTheHandler(bool olderHost)
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        var message = Assert.Single(await app.TakeQueuedAsync(QueueNames.DocumentReceived));

        // The body alone is the message; its id, subject and correlation id are Service Bus's own.
        var payload = HostPayloads.ServiceBus(Name, message.MessageId, message.Subject, message.Body, message.CorrelationId, message.Properties,
            deliveryCount: 2, olderHost: olderHost);
        using (var response = await app.Http.PostAsync(Path, HostPayloads.Content(payload)))
            Assert.True(HttpStatusCode.OK == response.StatusCode, await response.Content.ReadAsStringAsync());

        var view = await DossierApi.GetAsync(app, submitted.Code, Users.Citizen);
        Assert.Equal((int)DossierStatus.Registered, view!.Status.Code);
        var registered = (await app.Services.GetRequiredService<DossierStore>().HistoryAsync(submitted.Code, CancellationToken.None)).Single(h => h.Action == DocumentIntake.Action);
        Assert.Equal(message.MessageId, registered.CausedBy);
    }

    [Fact]
    public async Task Invocation_MalformedOrUnreadable_AnswersNon2xxSoTheHostRetries()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);

        using var malformed = await app.Http.PostAsync(Path, new StringContent("{\"Data\": [", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        // A Storage queue message that is not our envelope, and a Service Bus body of another shape.
        foreach (var payload in new[]
        {
            HostPayloads.StorageQueue(Name, "hello"),
            HostPayloads.ServiceBus(Name, "m-1", DocumentReceivedMessage.Subject, BinaryData.FromString("{\"dossier\":42}")),
        })
        {
            using var failing = await app.Http.PostAsync(Path, HostPayloads.Content(payload));
            Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
            var logs = JsonDocument.Parse(await failing.Content.ReadAsStringAsync()).RootElement.GetProperty("Logs");
            Assert.Contains(nameof(MotCua.Messaging.UnreadableMessageException), logs[0].GetString());
        }
    }

    [Fact]
    public async Task EventGridTrigger_BlobCreated_MarksTheDocumentStoredAndStartsItsProcessing()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        await DossierApi.SubmitAsync(app, Users.Citizen);
        var document = Assert.Single(await DocumentsAsync(app));
        Assert.Null(document.StoredAt);
        var blob = app.Documents.GetBlobClient(document.BlobName);
        var path = "/" + DocumentBlobCreatedFunction.Declaration.Name;

        JsonNode Event(string eventType) => new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["topic"] = $"/subscriptions/x/resourceGroups/motcua/providers/Microsoft.Storage/storageAccounts/{app.Documents.AccountName}",
            ["subject"] = $"/blobServices/default/containers/{app.Documents.Name}/blobs/{document.BlobName}",
            ["eventType"] = eventType,
            ["eventTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["data"] = new JsonObject
            {
                ["api"] = "PutBlob", ["eTag"] = "0x8D4BCC2E4835CD0", ["contentType"] = "application/pdf", ["contentLength"] = document.Length,
                ["blobType"] = "BlockBlob", ["url"] = blob.Uri.ToString(),
            },
            ["dataVersion"] = "",
            ["metadataVersion"] = "1",
        };

        using (var other = await app.Http.PostAsync(path, HostPayloads.Content(HostPayloads.EventGrid(DocumentBlobCreatedFunction.Declaration.Name, Event("Microsoft.Storage.BlobDeleted")))))
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Null(Assert.Single(await DocumentsAsync(app)).StoredAt);

        using (var created = await app.Http.PostAsync(path, HostPayloads.Content(HostPayloads.EventGrid(DocumentBlobCreatedFunction.Declaration.Name, Event("Microsoft.Storage.BlobCreated")))))
            Assert.True(HttpStatusCode.OK == created.StatusCode, await created.Content.ReadAsStringAsync());
        Assert.NotNull(Assert.Single(await DocumentsAsync(app)).StoredAt);
        var step = Assert.Single(await app.TakeQueuedAsync(DocumentQueues.Signatures));
        Assert.Equal(document.RowKey, JsonDocument.Parse(step.Body.ToString()).RootElement.GetProperty("documentId").GetString());
    }

    [Fact]
    public async Task TimerTrigger_OutboxSweepAfterACrashBeforeDispatch_SendsTheMessageOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, time: time);
        var code = $"{Demo.DemoData.NhaTrangWard}-261122-0042";
        var dossier = new DossierEntity
        {
            PartitionKey = code, DossierId = Guid.NewGuid().ToString("N"), ProcedureCode = "1.001193", ProcedureName = "Đăng ký khai sinh",
            ReceivingUnit = Demo.DemoData.NhaTrangWard, Channel = "online", SubmittedBy = Users.Citizen.Id, SubmittedAt = time.GetUtcNow(),
            UpdatedAt = time.GetUtcNow(), DocumentCount = 1, ApplicantName = "Nguyễn Thị Hoa", ApplicantNameFolded = "nguyen thi hoa", ApplicantIdNumber = "001190012345",
        };
        var outbox = OutboxEntity.Create(code, QueueNames.DocumentReceived, DocumentReceivedMessage.Subject,
            BinaryData.FromObjectAsJson(new DocumentReceivedMessage(code, 1), JsonSerializerOptions.Web), null);
        // The request wrote its batch and died before dispatching.
        await app.Services.GetRequiredService<DossierStore>().CreateAsync(dossier,
            new StatusChange(DossierStatus.Receiving, DossierStatus.Receiving, "submitted", ""), Users.Citizen.Id, [outbox], CancellationToken.None);
        var sweep = "/" + OutboxSweepFunction.Declaration.Name;

        // Too young: the request that wrote it may still send it.
        using (var early = await app.Http.PostAsync(sweep, new StringContent(Fixture("timer-trigger.json"), System.Text.Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        Assert.Equal(0, await app.QueuedAsync(QueueNames.DocumentReceived));

        time.Advance(TimeSpan.FromMinutes(2));
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var now = time.GetUtcNow();
            using var response = await app.Http.PostAsync(sweep, HostPayloads.Content(HostPayloads.Timer(OutboxSweepFunction.Declaration.Name, now.AddMinutes(-1), now)));
            Assert.True(HttpStatusCode.OK == response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var sent = await app.TakeQueuedAsync(QueueNames.DocumentReceived);
        var message = Assert.Single(sent);
        Assert.Equal(outbox.MessageId, message.MessageId);
        Assert.Equal(code, message.CorrelationId);
        Assert.Equal((0, 0), await CountOutboxAsync(app));
    }

    private static async Task<List<DocumentEntity>> DocumentsAsync(TestApp app)
    {
        var documents = new List<DocumentEntity>();
        await foreach (var d in app.Tables.Documents.QueryAsync<DocumentEntity>()) documents.Add(d);
        return documents;
    }

    private static async Task<(int Pending, int Rows)> CountOutboxAsync(TestApp app)
    {
        var pending = 0;
        await foreach (var _ in app.Tables.Outbox.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == PendingOutbox.Partition)) pending++;
        var rows = 0;
        await foreach (var r in app.Tables.Dossiers.QueryAsync<Azure.Data.Tables.TableEntity>())
            if (r.RowKey.StartsWith(DossierRows.OutboxPrefix, StringComparison.Ordinal)) rows++;
        return (pending, rows);
    }
}
