using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Tests.Infrastructure;
using Xunit.Abstractions;
using static MotCua.FunctionApp.Tests.Correspondence.IncomingFlow;

namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>
/// What a leader's phone downloads, in bytes as they arrive (asking for gzip as phones do): the list
/// awaiting direction stays under 30 KB for 50 documents, one document's view under 10 KB.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class IncomingSizeTests(ITestOutputHelper output)
{
    private const int ListBound = 30 * 1024, ViewBound = 10 * 1024;

    private static async Task<(byte[] Bytes, JsonElement Body)> DownloadAsync(TestApp app, string path, Auth.CurrentUser user)
    {
        using var request = app.Request(HttpMethod.Get, path, user);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await app.Http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = response.Content.Headers.ContentEncoding.Contains("gzip") ? Gunzip(bytes) : bytes;
        return (bytes, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static byte[] Gunzip(byte[] bytes)
    {
        using var input = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
        using var plain = new MemoryStream();
        input.CopyTo(plain);
        return plain.ToArray();
    }

    [Fact]
    public async Task AwaitingDirectionList_FiftyDocumentsWithFullSummaries_IsUnder30KB()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            using var response = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/agencies/{Ward}/incoming/paper", Users.RecordsClerk,
                Form(IncomingSamples.SecretArrival(i))));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            ids.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!);
        }
        foreach (var id in ids) Assert.Equal(HttpStatusCode.OK, (await StepAsync(app, id, "registration", Users.RecordsClerk, null, "\"1\"")).Status);

        var (bytes, body) = await DownloadAsync(app, $"/api/agencies/{Ward}/incoming?list=awaiting-direction&pageSize=50", Users.Leader);

        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(50, items.Count);
        Assert.All(items, item => Assert.True(item.GetProperty("summary").GetString()!.Length >= 190, "The summaries are sent in full."));
        output.WriteLine($"awaiting-direction, 50 documents: {bytes.Length} bytes");
        Assert.True(bytes.Length < ListBound, $"The list of 50 is {bytes.Length} bytes, over {ListBound}.");
    }

    [Fact]
    public async Task DocumentView_DirectedWithTwoFilesAndElevenHistoryEntries_IsUnder10KB()
    {
        await using var app = await TestApp.StartAsync();
        using var phone = new Phone();
        await phone.RegisterAsync(app, Users.Leader);
        var letter = IncomingSamples.Letters[0];
        using var arrival = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/agencies/{Ward}/incoming/paper", Users.RecordsClerk,
            Form(new { }, ("cong-van.pdf", Scans.TextPdf([letter.SenderName.ToUpperInvariant(), "Số: 125/UBND-VP", letter.Summary])),
                ("phu-luc.pdf", Scans.TextPdf(["PHỤ LỤC", "Danh sách các khu phố thực hiện kế hoạch"])))));
        Assert.Equal(HttpStatusCode.Created, arrival.StatusCode);
        var id = JsonDocument.Parse(await arrival.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var arrived = await CheckedAsync(app, id, Users.RecordsClerk);

        var registered = await StepAsync(app, id, "registration", Users.RecordsClerk, new
        {
            senderName = letter.SenderName, number = "125", notation = letter.Notation, documentDate = "2026-11-15", documentType = letter.DocumentType,
            summary = letter.Summary, priority = 1,
        }, arrived.ETag);
        Assert.Equal(HttpStatusCode.OK, registered.Status);
        var directed = await StepAsync(app, id, "direction", Users.Leader, Direction(phone, [(id, registered.Version)], DemoData.CultureDepartment, InWorkingDays(8),
            "Giao Phòng Văn hóa - Xã hội chủ trì, phối hợp Phòng Kinh tế tham mưu Ủy ban nhân dân phường triển khai thực hiện; báo cáo kết quả trước thời hạn.",
            coHandlers: [Users.OtherDepartmentOfficer.Id], informed: [Users.Deputy.Id]), registered.ETag);
        Assert.True(directed.Status == HttpStatusCode.OK, directed.Body.ToString());
        var step = await StepAsync(app, id, "assignment", Users.DepartmentHead, new
        {
            officer = Users.Officer.Id, dueDate = InWorkingDays(5),
            comment = "Giao đồng chí Tuấn nghiên cứu, dự thảo văn bản trả lời, trình lãnh đạo phòng trước khi trình Ủy ban nhân dân phường.",
        }, directed.ETag);
        Assert.Equal(HttpStatusCode.OK, step.Status);
        foreach (var note in new[]
        {
            "Đã nghiên cứu văn bản, tổng hợp số liệu của các khu phố theo yêu cầu.",
            "Đã làm việc với Phòng Kinh tế về nội dung phối hợp, thống nhất phân công.",
            "Đã dự thảo kế hoạch triển khai, gửi xin ý kiến các đơn vị liên quan.",
            "Đã tiếp thu ý kiến góp ý, hoàn thiện dự thảo kế hoạch và văn bản trả lời.",
            "Đã trình lãnh đạo phòng dự thảo văn bản trả lời, chờ ý kiến.",
        })
        {
            step = await StepAsync(app, id, "progress", Users.Officer, new { note }, step.ETag);
            Assert.Equal(HttpStatusCode.OK, step.Status);
        }

        var (bytes, body) = await DownloadAsync(app, $"/api/incoming/{id}", Users.Leader);

        Assert.Equal(2, body.GetProperty("files").GetArrayLength());
        Assert.Equal(11, body.GetProperty("historyCount").GetInt32());
        Assert.Equal(10, body.GetProperty("history").GetArrayLength());
        Assert.Equal(DemoData.CultureDepartment, body.GetProperty("direction").GetProperty("leadUnit").GetString());
        Assert.Equal(letter.Summary, body.GetProperty("summary").GetString());
        output.WriteLine($"view, 2 files, 10 of 11 history entries: {bytes.Length} bytes");
        Assert.True(bytes.Length < ViewBound, $"The view is {bytes.Length} bytes, over {ViewBound}.");
    }
}
