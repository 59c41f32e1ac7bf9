using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Outbox;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Correspondence.IncomingFlow;

namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>
/// Registrations that die part-way, by failing the real storage calls where the process would have
/// stopped: the register never skips or repeats a number, and nothing registered is lost or hidden.
/// Secret documents are used because they carry no files, so no document processing runs here.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RegistrationCrashTests
{
    private static async Task<string> SecretArrivalAsync(TestApp app, string number)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/agencies/{Ward}/incoming/paper", Users.RecordsClerk,
            Form(new { secret = true, senderName = "Công an tỉnh Khánh Hòa", number, notation = "CAT-PV01", documentDate = "2026-11-30",
                documentType = "Công văn", summary = "Về công tác bảo đảm an ninh" })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<List<int>> RegisterNumbersAsync(TestApp app, int year)
    {
        var numbers = new List<int>();
        await foreach (var row in app.Tables.Dossiers.QueryAsync<RegisterEntryEntity>(IncomingRows.PrefixFilter(Ward, $"{IncomingRows.RegisterPrefix}{year}|")))
            numbers.Add(row.Number);
        return numbers;
    }

    private static async Task<int> OutboxRowsAsync(TestApp app)
    {
        var count = 0;
        await foreach (var _ in app.Tables.Dossiers.QueryAsync<TableEntity>(Dossiers.DossierRows.PrefixFilter(IncomingRows.Partition(Ward), Dossiers.DossierRows.OutboxPrefix)))
            count++;
        return count;
    }

    [Fact]
    public async Task A_registration_that_dies_after_its_batch_keeps_its_number_and_the_sweep_sends_its_event_once()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var faults = new StorageFaults();
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, time: time, services: faults.Install);
        var first = await SecretArrivalAsync(app, "1");
        var second = await SecretArrivalAsync(app, "2");
        await app.TakeQueuedAsync(IncomingEvent.Queue);
        var arrived = await GetAsync(app, first, Users.RecordsClerk);

        faults.DieAfter(m => StorageFaults.IsBatchOn(m, app.Prefix + "dossiers"));
        var died = await StepAsync(app, first, "registration", Users.RecordsClerk, null, arrived.ETag);
        Assert.Equal(HttpStatusCode.InternalServerError, died.Status);
        faults.Clear();

        // Restarted: the number was taken with the entry, in one batch; its event waits in the outbox.
        var registered = await GetAsync(app, first, Users.RecordsClerk);
        Assert.Equal("03", registered.StatusCode);
        Assert.Equal(1, registered.Body.GetProperty("register").GetProperty("number").GetInt32());
        Assert.Equal(1, await OutboxRowsAsync(app));
        var retried = await StepAsync(app, first, "registration", Users.RecordsClerk, null, arrived.ETag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, retried.Status);

        var next = await GetAsync(app, second, Users.RecordsClerk);
        Assert.Equal(2, (await StepAsync(app, second, "registration", Users.RecordsClerk, null, next.ETag)).Body.GetProperty("register").GetProperty("number").GetInt32());

        time.Advance(TimeSpan.FromMinutes(2));
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        Assert.Equal(1, await dispatcher.SweepAsync(CancellationToken.None));
        Assert.Equal(0, await dispatcher.SweepAsync(CancellationToken.None));
        var events = (await app.TakeQueuedAsync(IncomingEvent.Queue)).Select(m => m.Body.ToObjectFromJson<IncomingEvent>(JsonSerializerOptions.Web)!).ToList();
        Assert.Equal(["registered", "registered"], events.Select(e => e.Action));
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), events.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal([1, 2], (await RegisterNumbersAsync(app, registered.Body.GetProperty("register").GetProperty("year").GetInt32())).Order());
    }

    [Fact]
    public async Task A_registration_that_dies_before_its_batch_takes_no_number()
    {
        var faults = new StorageFaults();
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, services: faults.Install);
        var id = await SecretArrivalAsync(app, "3");
        var arrived = await GetAsync(app, id, Users.RecordsClerk);

        faults.Refuse(m => StorageFaults.IsBatchOn(m, app.Prefix + "dossiers"));
        Assert.Equal(HttpStatusCode.InternalServerError, (await StepAsync(app, id, "registration", Users.RecordsClerk, null, arrived.ETag)).Status);
        faults.Clear();

        Assert.Equal("01", (await GetAsync(app, id, Users.RecordsClerk)).StatusCode);
        var registered = await StepAsync(app, id, "registration", Users.RecordsClerk, null, arrived.ETag);
        Assert.Equal(1, registered.Body.GetProperty("register").GetProperty("number").GetInt32());
        Assert.Equal([1], await RegisterNumbersAsync(app, registered.Body.GetProperty("register").GetProperty("year").GetInt32()));
    }
}
