using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

/// <summary>A phone retrying a submission after a timeout gets its first dossier back, not a second one.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class IdempotencyKeyTests
{
    private static async Task<HttpResponseMessage> SubmitAsync(TestApp app, string key, Submission? submission = null)
    {
        var request = app.Request(HttpMethod.Post, "/api/dossiers", Users.Citizen, (submission ?? Submission.Valid()).ToContent());
        request.Headers.TryAddWithoutValidation(SubmissionKeys.Header, key);
        return await app.Http.SendAsync(request);
    }

    private static async Task<int> DossierCountAsync(TestApp app)
    {
        var count = 0;
        await foreach (var _ in app.Tables.Dossiers.QueryAsync<Azure.Data.Tables.TableEntity>(filter: "RowKey eq 'dossier'")) count++;
        return count;
    }

    [Fact]
    public async Task Submit_RetriedWithTheSameKey_ReturnsTheFirstDossier()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        using var first = await SubmitAsync(app, "phone-7f3a:0001");
        using var retry = await SubmitAsync(app, "phone-7f3a:0001");
        using var other = await SubmitAsync(app, "phone-7f3a:0002");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created), (first.StatusCode, retry.StatusCode, other.StatusCode));
        var a = await first.Content.ReadFromJsonAsync<SubmittedDossier>(JsonSerializerOptions.Web);
        var b = await retry.Content.ReadFromJsonAsync<SubmittedDossier>(JsonSerializerOptions.Web);
        Assert.Equal((a!.Code, a.LookupPin), (b!.Code, b.LookupPin));
        Assert.Equal(2, await DossierCountAsync(app));
    }

    [Fact]
    public async Task Submit_RefusedWithAKey_LeavesTheKeyFreeForTheCorrectedRetry()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        using var refused = await SubmitAsync(app, "retry-1", new Submission().Dossier(Submission.DossierJson()).Document("a.pdf", "not a pdf"u8.ToArray()));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal((0, 0), await app.CountWrittenAsync());

        using var corrected = await SubmitAsync(app, "retry-1");
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
    }

    [Fact]
    public async Task Submit_WithAMalformedKey_IsRefused()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        using var response = await SubmitAsync(app, "bad key with spaces");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((0, 0), await app.CountWrittenAsync());
    }
}
