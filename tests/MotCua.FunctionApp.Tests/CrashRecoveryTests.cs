using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Outbox;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

/// <summary>
/// Requests that die part-way, reproduced by failing the app's real storage calls where the process
/// would have stopped: nothing acknowledged or written may be lost, hidden from recovery, or doubled.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task Change_AfterAnEarlierChangeDiedBeforeSending_SendsTheEarlierMessagesToo()
    {
        var faults = new StorageFaults();
        await using var app = await TestApp.StartAsync(services: faults.Install);
        var code = await WorkflowApi.SubmitRegisteredAsync(app);

        faults.Refuse(StorageFaults.IsQueueSend); // the accept's batch is written, then nothing reaches the queues
        await WorkflowApi.DoAsync(app, code, "accept", Users.Clerk);
        faults.Clear();
        Assert.NotEmpty(await OutboxRowsAsync(app, code));

        await WorkflowApi.DoAsync(app, code, "hand-over", Users.Clerk);

        // Had the hand-over sent only its own messages and removed the mark, the accept's would be hidden from the sweep.
        Assert.Empty(await OutboxRowsAsync(app, code));
        Assert.False(await HasPendingMarkAsync(app, code));
    }

    [Fact]
    public async Task Sweep_MessagesNoMarkNames_AreFoundAndSentOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var faults = new StorageFaults();
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, time: time, services: faults.Install);
        var code = await SubmitLeavingUnmarkedMessagesAsync(app, faults);
        var unsent = await OutboxRowsAsync(app, code);
        Assert.NotEmpty(unsent);

        time.Advance(TimeSpan.FromMinutes(2));
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        Assert.Equal(unsent.Count, await dispatcher.SweepAsync(CancellationToken.None));
        Assert.Equal(0, await dispatcher.SweepAsync(CancellationToken.None));

        Assert.Empty(await OutboxRowsAsync(app, code));
        var received = await app.TakeQueuedAsync(QueueNames.DocumentReceived);
        Assert.Equal(code, Assert.Single(received).CorrelationId);
    }

    [Fact]
    public async Task AddDocument_DyingOnceItsRowWasWritten_IsListedAndQueuedByTheSweepOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var faults = new StorageFaults();
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, time: time, services: faults.Install);
        var code = (await DossierApi.SubmitAsync(app, Users.Citizen)).Code;
        faults.DieAfter(m => StorageFaults.IsBatchOn(m, app.Tables.Documents.Name));
        var addition = new Submission().Document("bo-sung.pdf", Scans.TextPdf(["Giấy xác nhận bổ sung"]));
        using (var died = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/dossiers/{code}/documents", Users.Citizen, addition.ToContent())))
            Assert.False(died.IsSuccessStatusCode);
        faults.Clear();
        var stranded = await app.Tables.Documents.QueryAsync<DocumentEntity>(d => d.DossierCode == code && d.FileName == "bo-sung.pdf").SingleAsync();
        Assert.Equal(Documents.DocumentStages.Stored, stranded.Stage);
        Assert.DoesNotContain(stranded.RowKey, await ListedAsync(app, code));
        Assert.True((await app.Documents.GetBlobClient(stranded.BlobName).ExistsAsync()).Value);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await app.Services.GetRequiredService<OutboxDispatcher>().SweepAsync(CancellationToken.None) > 0);
        Assert.Empty(await app.Services.GetRequiredService<IStrandedWork>().RepairAsync(time.GetUtcNow(), CancellationToken.None));

        Assert.Contains(stranded.RowKey, await ListedAsync(app, code));
        var history = await app.Tables.Dossiers.QueryAsync<TableEntity>(e => e.PartitionKey == code).ToListAsync();
        Assert.Single(history, e => e.GetString("Action") == Documents.DocumentAdditions.AddedAction);
        var received = await app.TakeQueuedAsync(Documents.Processing.DocumentQueues.Signatures);
        Assert.Single(received, m => m.Body.ToString().Contains(stranded.RowKey, StringComparison.Ordinal));
        Assert.Empty(await OutboxRowsAsync(app, code));
    }

    [Fact]
    public async Task Submit_RetriedAfterDyingOnceTheDossierWasWritten_GetsThatDossierAtAnyTime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var faults = new StorageFaults();
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, time: time, services: faults.Install);
        faults.DieAfter(m => StorageFaults.IsBatchOn(m, app.Tables.Dossiers.Name));
        using (var first = await SubmitAsync(app, "phone-1:0001")) Assert.False(first.IsSuccessStatusCode);
        faults.Clear();
        var written = Assert.Single(await DossierCodesAsync(app));

        using var retry = await SubmitAsync(app, "phone-1:0001");
        time.Advance(SubmissionKeys.AbandonedAfter + TimeSpan.FromMinutes(1));
        using var later = await SubmitAsync(app, "phone-1:0001");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (retry.StatusCode, later.StatusCode));
        Assert.Equal(written, (await retry.Content.ReadFromJsonAsync<SubmittedDossier>(JsonSerializerOptions.Web))!.Code);
        Assert.Equal(written, (await later.Content.ReadFromJsonAsync<SubmittedDossier>(JsonSerializerOptions.Web))!.Code);
        Assert.Single(await DossierCodesAsync(app));
    }

    [Fact]
    public async Task Submit_RetriedAfterDyingBeforeTheDossierWasWritten_WaitsThenWritesOneDossier()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var faults = new StorageFaults();
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, time: time, services: faults.Install);
        faults.DieAfter(m => StorageFaults.IsWriteTo(m, app.Tables.Outbox.Name, "idempotency") && m.Request.Method != Azure.Core.RequestMethod.Post);
        using (var first = await SubmitAsync(app, "phone-1:0002")) Assert.False(first.IsSuccessStatusCode);
        faults.Clear();
        Assert.Empty(await DossierCodesAsync(app));

        using var early = await SubmitAsync(app, "phone-1:0002");
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        time.Advance(SubmissionKeys.AbandonedAfter + TimeSpan.FromMinutes(1));
        using var takenOver = await SubmitAsync(app, "phone-1:0002");
        using var again = await SubmitAsync(app, "phone-1:0002");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (takenOver.StatusCode, again.StatusCode));
        var code = (await takenOver.Content.ReadFromJsonAsync<SubmittedDossier>(JsonSerializerOptions.Web))!.Code;
        Assert.Equal(code, (await again.Content.ReadFromJsonAsync<SubmittedDossier>(JsonSerializerOptions.Web))!.Code);
        Assert.Equal([code], await DossierCodesAsync(app));
    }

    [Fact]
    public async Task Sweep_AFullScanThatFailed_IsTakenUpAgainBeforeItsInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var faults = new StorageFaults();
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, time: time, services: faults.Install);
        var code = await SubmitLeavingUnmarkedMessagesAsync(app, faults);
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();

        // The scan across every dossier fails part-way (storage unreachable for that query).
        faults.Refuse(m => m.Request.Method == Azure.Core.RequestMethod.Get && m.Request.Uri.Path.Contains(app.Tables.Dossiers.Name, StringComparison.Ordinal)
            && Uri.UnescapeDataString(m.Request.Uri.Query).Contains("RowKey ge", StringComparison.Ordinal)
            && !Uri.UnescapeDataString(m.Request.Uri.Query).Contains("PartitionKey eq", StringComparison.Ordinal));
        time.Advance(TimeSpan.FromMinutes(2));
        await Assert.ThrowsAnyAsync<Exception>(() => dispatcher.SweepAsync(CancellationToken.None));
        faults.Clear();

        time.Advance(OutboxScans.Abandoned + TimeSpan.FromMinutes(1));
        Assert.True(await dispatcher.SweepAsync(CancellationToken.None) > 0);
        Assert.Empty(await OutboxRowsAsync(app, code));
    }

    [Fact]
    public async Task SubmissionKey_OfAnAttemptTakenOver_IsNotFreedByThatAttempt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, time: time);
        var keys = app.Services.GetRequiredService<SubmissionKeys>();
        var code = $"{Demo.DemoData.NhaTrangWard}-261202-0007";

        var slow = await keys.ClaimAsync(Users.Citizen.Id, "phone-2:0001", CancellationToken.None);
        time.Advance(SubmissionKeys.AbandonedAfter + TimeSpan.FromMinutes(1)); // still uploading over a slow link
        var retry = await keys.ClaimAsync(Users.Citizen.Id, "phone-2:0001", CancellationToken.None);
        await Assert.ThrowsAsync<Problems.ProblemException>(() => keys.ReserveAsync(slow, code, CancellationToken.None));
        await keys.ReleaseAsync(slow); // the slow attempt is refused and lets go of what it held

        var reserved = await keys.ReserveAsync(retry, code, CancellationToken.None);
        Assert.Equal(code, reserved.ReservedCode);
    }

    [Fact]
    public async Task Submit_RetriedWithTheSameKeyForAnotherUnit_IsRefusedAndWritesNothing()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var faults = new StorageFaults();
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, time: time, services: faults.Install);
        faults.DieAfter(m => StorageFaults.IsWriteTo(m, app.Tables.Outbox.Name, "idempotency") && m.Request.Method != Azure.Core.RequestMethod.Post);
        using (var first = await SubmitAsync(app, "phone-3:0001")) Assert.False(first.IsSuccessStatusCode);
        faults.Clear();
        time.Advance(SubmissionKeys.AbandonedAfter + TimeSpan.FromMinutes(1));

        var request = app.Request(HttpMethod.Post, "/api/dossiers", Users.Citizen,
            Submission.Valid(Submission.DossierJson(unit: Demo.DemoData.CamLamCommune)).ToContent());
        request.Headers.TryAddWithoutValidation(SubmissionKeys.Header, "phone-3:0001");
        using var otherUnit = await app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherUnit.StatusCode);
        Assert.Empty(await DossierCodesAsync(app));
    }

    /// <summary>A submission whose messages never reached the queues and that no pending mark names, as older deployments could leave one.</summary>
    private static async Task<string> SubmitLeavingUnmarkedMessagesAsync(TestApp app, StorageFaults faults)
    {
        faults.Refuse(StorageFaults.IsQueueSend);
        var code = (await DossierApi.SubmitAsync(app, Users.Citizen)).Code;
        faults.Clear();
        await app.Tables.Outbox.DeleteEntityAsync(PendingOutbox.Partition, code);
        return code;
    }

    private static async Task<HttpResponseMessage> SubmitAsync(TestApp app, string key)
    {
        var request = app.Request(HttpMethod.Post, "/api/dossiers", Users.Citizen, Submission.Valid().ToContent());
        request.Headers.TryAddWithoutValidation(SubmissionKeys.Header, key);
        return await app.Http.SendAsync(request);
    }

    private static async Task<List<string>> DossierCodesAsync(TestApp app)
    {
        var codes = new List<string>();
        await foreach (var row in app.Tables.Dossiers.QueryAsync<TableEntity>(e => e.RowKey == DossierRows.Dossier)) codes.Add(row.PartitionKey);
        return codes;
    }

    private static async Task<string[]> ListedAsync(TestApp app, string code) =>
        (await app.Tables.Dossiers.GetEntityAsync<DossierEntity>(code, DossierRows.Dossier)).Value.DocumentIds.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<List<OutboxEntity>> OutboxRowsAsync(TestApp app, string code)
    {
        var rows = new List<OutboxEntity>();
        await foreach (var row in app.Tables.Dossiers.QueryAsync<OutboxEntity>(DossierRows.PrefixFilter(code, DossierRows.OutboxPrefix))) rows.Add(row);
        return rows;
    }

    private static async Task<bool> HasPendingMarkAsync(TestApp app, string code) =>
        (await app.Tables.Outbox.GetEntityIfExistsAsync<TableEntity>(PendingOutbox.Partition, code)).HasValue;
}
