using MotCua.FunctionApp.Storage;
using System.Net;
using MotCua.Domain.Dossiers;
using MotCua.Domain.History;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

[Collection(AzuriteCollection.Name)]
public class DossierPathTests
{
    /// <summary>The queue transport the app runs on; a subclass runs every test again on Service Bus.</summary>
    protected virtual QueueTransportKind Transport => QueueTransportKind.StorageQueues;

    [Fact]
    public async Task Submit_ValidDossier_QueuedStepRegistersItWithHistory()
    {
        await using var app = await TestApp.StartAsync(transport: Transport);

        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        Assert.Equal((int)DossierStatus.Receiving, submitted.Status.Code);
        Assert.True(DossierCode.TryParse(submitted.Code, out var code));
        Assert.Equal(Demo.DemoData.NhaTrangWard, code!.Value.AgencyCode);

        var dossier = await Eventually.GetAsync(async () =>
        {
            var view = await DossierApi.GetAsync(app, submitted.Code, Users.Citizen);
            return view!.Status.Code == (int)DossierStatus.Registered && view.DocumentChecks.Recorded == 1 ? view : null;
        }, "the dossier to be registered and its document checked");

        Assert.Equal("submitted", dossier.History[0].Action);
        Assert.Equal(new[] { "submitted", DocumentIntake.Action, Documents.Processing.RecordOutcomeFunction.Action }.Order(), dossier.History.Select(h => h.Action).Order());
        Assert.Equal(DossierStatus.Registered.Vietnamese(), dossier.Status.Name);
        var document = Assert.Single(dossier.Documents);
        Assert.Equal("to-khai.pdf", document.FileName);
        Assert.Equal(Pdfs.Minimal().Length, document.Length);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Pdfs.Minimal())), document.Sha256);
        Assert.Equal("Nguyễn Thị Hoa", dossier.Applicant.FullName);

        // The blob is the bytes that were sent, at an address made of ids, not of the user's file name.
        var blobs = new List<string>();
        await foreach (var blob in app.Documents.GetBlobsAsync()) blobs.Add(blob.Name);
        Assert.Equal($"{blobs.Single().Split('/')[0]}/{document.Id}", Assert.Single(blobs));
        var stored = await app.Documents.GetBlobClient(blobs[0]).DownloadContentAsync();
        Assert.Equal(Pdfs.Minimal(), stored.Value.Content.ToArray());

        // The blob-created trigger marks the document stored, in standalone mode too.
        await Eventually.GetAsync(async () => (await DossierApi.GetAsync(app, submitted.Code, Users.Citizen))!.Documents[0].StoredAt is not null ? "" : null,
            "the blob-created event to be handled");
    }

    [Fact]
    public async Task Submit_ByClerkAtCounter_RecordsCounterChannelAndClerkCanRead()
    {
        await using var app = await TestApp.StartAsync(transport: Transport);
        var submitted = await DossierApi.SubmitAsync(app, Users.Clerk);
        var view = await DossierApi.GetAsync(app, submitted.Code, Users.Clerk);
        Assert.Equal("counter", view!.Channel);
        Assert.Equal(Users.Clerk.Id, view.History[0].Actor);
    }

    [Fact]
    public async Task History_AfterProcessing_IsAnUnbrokenHashChain()
    {
        await using var app = await TestApp.StartAsync(transport: Transport);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        await WorkflowApi.RegisteredAndCheckedAsync(app, submitted.Code);

        var store = app.Services.GetRequiredService<Dossiers.DossierStore>();
        var (_, history) = (await store.GetAsync(submitted.Code, CancellationToken.None))!.Value;
        // Submitted, registered, and one entry per document's check.
        Assert.Equal(2 + submitted.DocumentCount, history.Count);
        Assert.Null(HistoryChain.FindFirstBreak(history));
        Assert.Equal(2, HistoryChain.FindFirstBreak([history[0], history[1] with { Comment = "altered" }]));
    }

    [Fact]
    public async Task Submit_ManyInParallel_EveryCodeIsDistinctAndConsecutive()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, transport: Transport);
        var submitted = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => DossierApi.SubmitAsync(app, Users.Citizen)));
        var sequences = submitted.Select(s => { DossierCode.TryParse(s.Code, out var c); return c!.Value.Sequence; }).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 24), sequences);
    }

    [Fact]
    public async Task Get_BySomeoneNotInvolved_IsForbiddenAndUnknownIsNotFound()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, transport: Transport);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);

        foreach (var outsider in new[] { Users.OtherCitizen, Users.OtherUnitClerk })
        {
            using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{submitted.Code}", outsider));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        using (var ok = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{submitted.Code}", Users.Chairman)))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using (var missing = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{Demo.DemoData.NhaTrangWard}-260101-0999", Users.Admin)))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using (var malformed = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/dossiers/not-a-code", Users.Admin)))
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        using (var anonymous = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{submitted.Code}", null)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Health_WithStorageUp_IsHealthy()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, transport: Transport);
        using var response = await app.Http.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"healthy\"", await response.Content.ReadAsStringAsync());
    }
}

/// <summary>The same tests with the Service Bus transport against RabbitMQ over AMQP 1.0.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DossierPathTestsOnServiceBus : DossierPathTests
{
    protected override QueueTransportKind Transport => QueueTransportKind.ServiceBus;
}
