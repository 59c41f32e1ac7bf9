using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Outbox;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

/// <summary>The app as the Functions host sees it: invocations POSTed to /{FunctionName} in the documented shapes.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CustomHandlerTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

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
    public async Task QueueInvocation_DeliveredTwiceInBothEncodings_RecordsOneHistoryEntry()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        var message = Assert.Single(await app.TakeQueuedAsync(QueueNames.DocumentReceived));

        var single = StandaloneInvocations.ForQueueMessage(message, DateTimeOffset.UtcNow);
        var doubled = single with
        {
            Data = new() { [TriggerBindings.Queue] = JsonSerializer.SerializeToElement(JsonSerializer.Serialize(TriggerValues.ReadText(single.Data[TriggerBindings.Queue]))) },
        };
        foreach (var payload in new[] { single, doubled, single })
        {
            using var response = await app.Http.PostAsJsonAsync("/" + FunctionCatalog.DocumentReceived.Name, payload);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(body.TryGetProperty("Outputs", out _) && body.TryGetProperty("Logs", out _) && body.TryGetProperty("ReturnValue", out _));
        }

        var view = await DossierApi.GetAsync(app, submitted.Code, Users.Citizen);
        Assert.Equal((int)DossierStatus.Registered, view!.Status.Code);
        Assert.Single(view.History, h => h.Action == DocumentIntake.Action);
    }

    [Fact]
    public async Task QueueInvocation_DeliveredConcurrently_RecordsOneHistoryEntry()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        var message = Assert.Single(await app.TakeQueuedAsync(QueueNames.DocumentReceived));
        var payload = StandaloneInvocations.ForQueueMessage(message, DateTimeOffset.UtcNow);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => app.Http.PostAsJsonAsync("/" + FunctionCatalog.DocumentReceived.Name, payload)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var view = await DossierApi.GetAsync(app, submitted.Code, Users.Citizen);
        Assert.Equal(2, view!.History.Count);
    }

    [Fact]
    public async Task Invocation_MalformedOrFailing_AnswersNon2xxSoTheHostRetries()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        var path = "/" + FunctionCatalog.DocumentReceived.Name;

        using var malformed = await app.Http.PostAsync(path, new StringContent("{\"Data\": [", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        var notAnEnvelope = new InvocationRequest(new() { [TriggerBindings.Queue] = JsonSerializer.SerializeToElement("hello") }, []);
        using var failing = await app.Http.PostAsJsonAsync(path, notAnEnvelope);
        Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
        var logs = JsonDocument.Parse(await failing.Content.ReadAsStringAsync()).RootElement.GetProperty("Logs");
        Assert.Contains("InvalidInvocationException", logs[0].GetString());
    }

    [Fact]
    public async Task OutboxSweep_AfterACrashBeforeDispatch_SendsTheMessageOnce()
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

        var timer = new StringContent(Fixture("timer-trigger.json"), System.Text.Encoding.UTF8, "application/json");
        using (var early = await app.Http.PostAsync("/" + FunctionCatalog.OutboxSweep.Name, timer))
            Assert.Contains("sent 0 messages", await early.Content.ReadAsStringAsync());

        time.Advance(TimeSpan.FromMinutes(2));
        foreach (var _ in Enumerable.Range(0, 2))
        {
            using var sweep = await app.Http.PostAsync("/" + FunctionCatalog.OutboxSweep.Name,
                new StringContent(Fixture("timer-trigger.json"), System.Text.Encoding.UTF8, "application/json"));
            Assert.True(HttpStatusCode.OK == sweep.StatusCode, await sweep.Content.ReadAsStringAsync());
        }

        var sent = await app.TakeQueuedAsync(QueueNames.DocumentReceived);
        var message = Assert.Single(sent);
        Assert.Equal(outbox.MessageId, message.MessageId);
        Assert.Equal(code, message.CorrelationId);
        Assert.Equal((0, 0), await CountOutboxAsync(app));
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
