using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MotCua.FunctionApp.Outbox;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Tests;

/// <summary>What operators rely on: dead letters they can read and replay, and one trace per dossier.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OperationsTests
{
    [Fact]
    public async Task DeadLetters_OfAFailingStep_AreListedForAdminsAndReplayed()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone);
        // A body without a dossier code is no DocumentReceivedMessage: no retry can help, so it is dead-lettered at once.
        await app.Transport.SendAsync(QueueNames.DocumentReceived, new OutgoingMessage("broken-1", "document-received", BinaryData.FromString("{}")), CancellationToken.None);

        var path = $"/api/admin/dead-letters/{QueueNames.DocumentReceived}";
        var letters = await Eventually.GetAsync(async () =>
        {
            using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, path, Users.Admin));
            response.EnsureSuccessStatusCode();
            var list = await response.Content.ReadFromJsonAsync<List<DeadLetterView>>(JsonSerializerOptions.Web);
            return list!.Count > 0 ? list : null;
        }, "the dead letter");
        var letter = Assert.Single(letters);
        Assert.Equal(("broken-1", 1, MotCua.Messaging.UnreadableMessageException.Reason), (letter.MessageId, letter.DeliveryCount, letter.Reason));
        Assert.Contains(nameof(Dossiers.DocumentReceivedMessage), letter.Description);

        using (var citizen = await app.Http.SendAsync(app.Request(HttpMethod.Get, path, Users.Citizen)))
            Assert.Equal(HttpStatusCode.Forbidden, citizen.StatusCode);
        using (var unknown = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/admin/dead-letters/nope", Users.Admin)))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var replay = await app.Http.SendAsync(app.Request(HttpMethod.Post, path + "/replay", Users.Admin));
        Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<ReplayResult>(JsonSerializerOptions.Web))!.Replayed);
    }

    [Fact]
    public async Task FailingStep_IsDeliveredToTheLimit_ThenDeadLetteredWithItsFailure()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, seed: false);
        // A stored blob that no document row claims: the blob-created step waits for the row by failing.
        await app.Documents.UploadBlobAsync("orphan/document", BinaryData.FromString("%PDF-1.7"));
        var gridEvent = new
        {
            id = Guid.NewGuid(), eventType = "Microsoft.Storage.BlobCreated", eventTime = DateTimeOffset.UtcNow, dataVersion = "", metadataVersion = "1",
            subject = $"/blobServices/default/containers/{app.Documents.Name}/blobs/orphan/document",
            data = new { api = "PutBlob", contentLength = 8, url = app.Documents.GetBlobClient("orphan/document").Uri },
        };
        await app.Transport.SendAsync(QueueNames.BlobCreated, new OutgoingMessage("orphan-1", "Microsoft.Storage.BlobCreated",
            BinaryData.FromObjectAsJson(gridEvent, JsonSerializerOptions.Web)), CancellationToken.None);

        var letter = await Eventually.GetAsync(async () =>
        {
            using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/admin/dead-letters/{QueueNames.BlobCreated}", Users.Admin));
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<List<DeadLetterView>>(JsonSerializerOptions.Web))!.SingleOrDefault();
        }, "the dead letter");
        // TestApp's Queues:Pump:MaxDeliveryCount.
        Assert.Equal(("orphan-1", 3, nameof(InvalidOperationException)), (letter.MessageId, letter.DeliveryCount, letter.Reason));
        Assert.Contains("has no row yet", letter.Description);
    }

    [Fact]
    public async Task Trace_OfASubmission_ContinuesThroughTheQueueIntoTheStep()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var consumed = new TaskCompletionSource<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == Observability.Telemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.OperationName == Dossiers.DocumentReceivedFunction.Declaration.Name && a.TraceId == traceId) consumed.TrySetResult(a);
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var app = await TestApp.StartAsync(HostingMode.Standalone);

        var request = app.Request(HttpMethod.Post, "/api/dossiers", Users.Citizen, Submission.Valid().ToContent());
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await app.Http.SendAsync(request);
        var submitted = await response.Content.ReadFromJsonAsync<Dossiers.SubmittedDossier>(JsonSerializerOptions.Web);

        var step = await consumed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ActivityKind.Consumer, step.Kind);
        Assert.Equal(submitted!.Code, step.GetTagItem("motcua.dossier.code"));
    }
}
