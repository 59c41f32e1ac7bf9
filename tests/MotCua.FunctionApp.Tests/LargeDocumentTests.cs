using System.Net;
using System.Security.Cryptography;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

/// <summary>Files larger than one block stream through in blocks; one over the limit is refused mid-stream.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LargeDocumentTests
{
    private const long Limit = 12L * 1024 * 1024;

    [Fact]
    public async Task Submit_DocumentOfSeveralBlocks_IsStoredWhole()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, new() { ["Documents:MaxFileBytes"] = Limit.ToString() });
        const long size = 9L * 1024 * 1024 + 123;
        var submission = new Submission().Dossier(Submission.DossierJson()).Document("filename=\"ban-do.pdf\"", () => Pdfs.Large(size));

        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen, submission);

        var view = await DossierApi.GetAsync(app, submitted.Code, Users.Citizen);
        var document = Assert.Single(view!.Documents);
        Assert.Equal(size, document.Length);
        Assert.Equal(Convert.ToHexStringLower(await SHA256.HashDataAsync(Pdfs.Large(size))), document.Sha256);
        var blob = app.Documents.GetBlobClient($"{await FirstBlobPrefixAsync(app)}/{document.Id}");
        Assert.Equal(size, (await blob.GetPropertiesAsync()).Value.ContentLength);
    }

    [Fact]
    public async Task Submit_DocumentOverTheLimitAfterSeveralBlocks_IsRefusedAndNothingIsStored()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, new() { ["Documents:MaxFileBytes"] = Limit.ToString() });
        var submission = new Submission().Dossier(Submission.DossierJson()).Document("filename=\"qua-lon.pdf\"", () => Pdfs.Large(Limit + 5 * 1024 * 1024));

        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Post, "/api/dossiers", Users.Citizen, submission.ToContent(chunked: true)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal((0, 0), await app.CountWrittenAsync());
    }

    private static async Task<string> FirstBlobPrefixAsync(TestApp app)
    {
        await foreach (var blob in app.Documents.GetBlobsAsync()) return blob.Name.Split('/')[0];
        throw new Xunit.Sdk.XunitException("No blob.");
    }
}
