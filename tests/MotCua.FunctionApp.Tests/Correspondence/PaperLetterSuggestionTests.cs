using System.Net;
using System.Text.Json;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Tests.Correspondence;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Correspondence.IncomingFlow;

namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>The scan of a paper letter taken in by the records clerk, read by the document pipeline, and its first page's suggestion read back.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PaperLetterSuggestionTests
{
    [Fact]
    public async Task PaperScan_ReadByThePipeline_FirstPageSuggestsTheLetter()
    {
        await using var app = await TestApp.StartAsync();
        var scan = await OfficialLetters.WornScanPdfAsync(SampleLetters.ProvinceLetter);
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/agencies/{Ward}/incoming/paper", Users.RecordsClerk,
            Form(new { }, ("cong-van-den.pdf", scan))));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;

        // OCR of a worn 300 dpi page takes a while on a busy machine: a generous limit, not a timing assertion.
        var file = await Eventually.GetAsync(async () =>
        {
            var answer = await GetAsync(app, id, Users.RecordsClerk);
            var files = answer.Body.GetProperty("files");
            return files.GetArrayLength() == 1 && files[0].GetProperty("stage").GetString() == "recorded" ? files[0].GetProperty("documentId").GetString() : null;
        }, "the scan to be read", seconds: 300);

        var suggestion = await FirstPageSuggestions.ReadAsync(app.Tables.Pages, file, CancellationToken.None);

        Assert.Equal(SampleLetterSuggestions.Expected["cong-van-ubnd-tinh.worn"], suggestion);
        Assert.Equal(
            new LetterFields("123", "UBND-VP", new DateOnly(2026, 11, 15), "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Công văn",
                "V/v tăng cường công tác phòng, chống công, thiên tai mùa mưa bão năm 2026", 1),
            FirstPageSuggestions.Fields(suggestion!));
        Assert.Null(await FirstPageSuggestions.ReadAsync(app.Tables.Pages, "no-such-file", CancellationToken.None));
    }
}
