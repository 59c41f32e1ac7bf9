using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure.Data.Tables;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Correspondence.Outgoing;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.FunctionApp.Tests.Signing;
using static MotCua.FunctionApp.Tests.Correspondence.OutgoingFlow;

namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>
/// Numbering and delivery that die part-way, by failing the real storage calls where the process
/// would have stopped: no number is skipped or given twice, and each recipient gets the document once.
/// The app runs under the custom handler, so the test hands each event to its handlers itself.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OutgoingCrashTests : IAsyncLifetime
{
    private readonly OutgoingSetup _setup = new();
    private readonly StorageFaults _faults = new();
    private TestApp _app = default!;

    private TestPki _pki => _setup.Pki;

    public async Task InitializeAsync() => _app = await _setup.StartAsync(mode: HostingMode.CustomHandler, services: _faults.Install);

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _setup.Dispose();
    }

    [Fact]
    public async Task A_numbering_that_dies_keeps_its_number_or_takes_none_and_the_next_one_follows()
    {
        using var phone = await CertifiedPhone.RegisterAsync(_app, _pki, Users.Chairman);
        var first = await SignedAsync(_app, phone);
        var second = await SignedAsync(_app, phone);
        var third = await SignedAsync(_app, phone);
        var dossiers = _app.Prefix + "dossiers";

        // Dies before its batch reaches storage: no number is taken.
        _faults.Refuse(m => StorageFaults.IsBatchOn(m, dossiers));
        Assert.Equal(HttpStatusCode.InternalServerError, (await StepAsync(_app, Id(first), "issue", Users.RecordsClerk, null, first.ETag)).Status);
        _faults.Clear();
        Assert.Equal("signed", Status(await GetAsync(_app, Id(first), Users.RecordsClerk)));

        // Dies after its batch: the number stays with the document, and a retry with the old version is refused.
        _faults.DieAfter(m => StorageFaults.IsBatchOn(m, dossiers));
        Assert.Equal(HttpStatusCode.InternalServerError, (await StepAsync(_app, Id(second), "issue", Users.RecordsClerk, null, second.ETag)).Status);
        _faults.Clear();
        var numbered = await GetAsync(_app, Id(second), Users.RecordsClerk);
        Assert.Equal(("numbered", 1), (Status(numbered), numbered.Body.GetProperty("numbered").GetProperty("number").GetInt32()));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await StepAsync(_app, Id(second), "issue", Users.RecordsClerk, null, second.ETag)).Status);

        var afterFirst = await StepAsync(_app, Id(first), "issue", Users.RecordsClerk, null, first.ETag);
        var afterThird = await StepAsync(_app, Id(third), "issue", Users.RecordsClerk, null, third.ETag);
        Assert.Equal([2, 3], new[] { afterFirst, afterThird }.Select(a => a.Body.GetProperty("numbered").GetProperty("number").GetInt32()));
        var entries = new List<int>();
        await foreach (var row in _app.Tables.Dossiers.QueryAsync<RegisterEntryEntity>(OutgoingRows.PrefixFilter(Ward, $"register|{DateTime.UtcNow.AddHours(7).Year}|general|")))
            entries.Add(row.Number);
        Assert.Equal([1, 2, 3], entries.Order());
    }

    [Fact]
    public async Task A_delivery_that_dies_after_the_recipient_got_the_document_delivers_it_once()
    {
        using var phone = await CertifiedPhone.RegisterAsync(_app, _pki, Users.Chairman);
        var signed = await SignedAsync(_app, phone);
        var id = Id(signed);
        await StepAsync(_app, id, "issue", Users.RecordsClerk, null, signed.ETag);
        var handlers = _app.Services.GetServices<IOutgoingEventHandler>().ToList();
        var numberedEvent = (await EventsAsync()).Single(e => e.Action == "numbered");

        // Sealed and issued, then delivered at once: the recipient's document is written, and the process dies
        // before the sender's row says so.
        _faults.DieAfter(m => StorageFaults.IsBatchInPartition(m, _app.Prefix + "dossiers", "IN-" + Commune));
        await Record.ExceptionAsync(() => Handle(handlers, numberedEvent)); // whatever ran after the death failed with it
        _faults.Clear();
        Assert.Equal("issued", Status(await GetAsync(_app, id, Users.RecordsClerk)));
        Assert.Equal(JsonValueKind.Null, Recipient(await GetAsync(_app, id, Users.RecordsClerk), Commune).GetProperty("incomingId").ValueKind);

        // Restarted: the numbered event comes again (nothing to do), then the issued event, twice.
        await Handle(handlers, numberedEvent);
        var issuedEvent = (await EventsAsync()).Single(e => e.Action == "issued");
        await Handle(handlers, issuedEvent);
        await Handle(handlers, issuedEvent);
        var incomingId = Recipient(await GetAsync(_app, id, Users.RecordsClerk), Commune).GetProperty("incomingId").GetString();
        var arrivals = new List<string>();
        await foreach (var d in _app.Tables.Dossiers.QueryAsync<IncomingDocumentEntity>(IncomingRows.PrefixFilter(Commune, IncomingRows.DocumentPrefix)))
            arrivals.Add(d.Id);
        Assert.Equal([incomingId!], arrivals);
        var files = 0;
        await foreach (var _ in _app.Tables.Documents.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"DossierCode eq {incomingId}"))) files++;
        Assert.Equal(1, files);
    }

    private static Task Handle(IEnumerable<IOutgoingEventHandler> handlers, OutgoingEvent change) =>
        handlers.Aggregate(Task.CompletedTask, async (previous, handler) =>
        {
            await previous;
            await handler.HandleAsync(change, CancellationToken.None);
        });

    private async Task<IReadOnlyList<OutgoingEvent>> EventsAsync() =>
        [.. (await _app.TakeQueuedAsync(OutgoingEvent.Queue)).Select(m => m.Body.ToObjectFromJson<OutgoingEvent>(JsonSerializerOptions.Web)!)];

    private static string Id(Infrastructure.WorkflowApi.Answer answer) => answer.Body.GetProperty("id").GetString()!;

    private static string Status(Infrastructure.WorkflowApi.Answer answer) => answer.Body.GetProperty("status").GetProperty("code").GetString()!;
}
