using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Correspondence.Registers;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Forms;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Correspondence.IncomingFlow;

namespace MotCua.FunctionApp.Tests.Correspondence;

[Collection(AzuriteCollection.Name)]
public sealed class IncomingRegisterTests
{
    private static DateTimeOffset At(int day, int hour) => new(2026, 11, day, hour, 0, 0, TimeSpan.FromHours(7));

    [Fact]
    public async Task The_registers_print_each_registered_document_in_receipt_order_with_its_handling()
    {
        var time = new FakeTimeProvider(At(2, 8));
        await using var app = await TestApp.StartAsync(time: time);
        using var phone = new Phone();
        await phone.RegisterAsync(app, Users.Leader);
        static Answer Ok(Answer answer)
        {
            Assert.True(answer.Status == HttpStatusCode.OK, answer.Body.ToString());
            return answer;
        }
        async Task<Answer> DirectAsync(string id, Answer current, string lead, string due) => Ok(await StepAsync(app, id, "direction", Users.Leader,
            DirectionSignedAt(phone, time.GetUtcNow(), (id, current.Version), lead, due, "Giao xử lý."), current.ETag));
        async Task<Answer> StepByAsync(string id, string step, CurrentUser by, object body)
        {
            var current = await GetAsync(app, id, by);
            return Ok(await StepAsync(app, id, step, by, body, current.ETag));
        }

        // Monday 2 Nov: four registered (the third never directed), one returned to its sender.
        var returned = await ArriveAsync(app, Letter(number: "501", date: "2026-10-30"), Scans.TextPdf(["Công văn điện tử chưa ký số"]));
        Ok(await StepAsync(app, returned, "return", Users.RecordsClerk, new { reason = "Văn bản điện tử chưa được ký số." },
            (await CheckedAsync(app, returned, Users.RecordsClerk)).ETag));
        var letter = await ArrivePaperAsync(app, PaperLetter("125", "Về việc triển khai kế hoạch chuyển đổi số năm 2027", sender: "Ủy ban nhân dân tỉnh Khánh Hòa",
            notation: "UBND-VP", date: "2026-10-30"), ("cong-van-125.pdf", Scans.TextPdf(["Số: 125/UBND-VP"])));
        var directed = await DirectAsync(letter, await RegisterAsync(app, letter), DemoData.CultureDepartment, "2026-11-06");
        Ok(await StepAsync(app, letter, "assignment", Users.DepartmentHead, new { officer = Users.Officer.Id, dueDate = "2026-11-05", comment = "Xử lý." }, directed.ETag));
        var secret = await ArrivePaperAsync(app, PaperLetter("12", "Về công tác bảo đảm an ninh", secret: true, priority: 1));
        await DirectAsync(secret, await RegisterAsync(app, secret), Users.Officer.Id, "2026-11-03");
        var undirected = await ArrivePaperAsync(app, PaperLetter("14", "Về việc phối hợp tuần tra"), ("cong-van-14.pdf", Scans.TextPdf(["Số: 14/CAT-PV01"])));
        await RegisterAsync(app, undirected);
        var late = await ArrivePaperAsync(app, PaperLetter("15", "Về việc bảo vệ mục tiêu", secret: true));
        await DirectAsync(late, await RegisterAsync(app, late), Users.OtherDepartmentOfficer.Id, "2026-11-03");

        time.SetUtcNow(At(3, 9));
        await StepByAsync(secret, "progress", Users.Officer, new { note = "Đã xác minh" });
        time.SetUtcNow(At(4, 10));
        await StepByAsync(letter, "progress", Users.Officer, new { note = "Đã dự thảo trả lời" });
        await StepByAsync(letter, "finish", Users.Officer, new { result = "Đã trả lời.", replyDocumentId = $"{DemoData.NhaTrangWard},2026/11/04,88/UBND-VHXH" });
        time.SetUtcNow(At(5, 10));
        await StepByAsync(late, "finish", Users.OtherDepartmentOfficer, new { result = "Đã bảo vệ.", replyDocumentId = (string?)null });

        time.SetUtcNow(At(6, 10));
        using var incoming = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/agencies/{Ward}/incoming/registers/2026/incoming.pdf", Users.RecordsClerk));
        Assert.Equal(HttpStatusCode.OK, incoming.StatusCode);
        Assert.Equal("application/pdf", incoming.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"incoming-{Ward}-2026.pdf", incoming.Content.Headers.ContentDisposition?.FileNameStar ?? incoming.Content.Headers.ContentDisposition?.FileName);
        var incomingPdf = await incoming.Content.ReadAsByteArrayAsync();
        var text = await Tools.PdfTextAsync(incomingPdf);
        Assert.Contains("ỦY BAN NHÂN DÂN PHƯỜNG NHA TRANG", text);
        Assert.Contains("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", text);
        Assert.Contains("Năm 2026", text);
        Assert.Equal(
        [
            ["02/11/2026", "1", "Ủy ban nhân dân tỉnh Khánh Hòa", "125/UBND-VP", "30/10/2026", "Công văn: Về việc triển khai kế hoạch chuyển đổi số năm 2027",
                "Phòng Văn hóa - Xã hội", "02/11/2026", "", "Bản giấy"],
            ["02/11/2026", "2", "Công an tỉnh Khánh Hòa", "12/CAT-PV01", "28/10/2026", "Công văn: Về công tác bảo đảm an ninh", "Lê Minh Tuấn", "02/11/2026", "",
                "Mật; Khẩn; Bản giấy"],
            ["02/11/2026", "3", "Công an tỉnh Khánh Hòa", "14/CAT-PV01", "28/10/2026", "Công văn: Về việc phối hợp tuần tra", "", "", "", "Bản giấy"],
            ["02/11/2026", "4", "Công an tỉnh Khánh Hòa", "15/CAT-PV01", "28/10/2026", "Công văn: Về việc bảo vệ mục tiêu", "Vũ Đức Anh", "02/11/2026", "",
                "Mật; Bản giấy"],
        ], await RowsAsync(incomingPdf, RegisterLayouts.Incoming, numberColumn: 1));

        using var followUp = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/agencies/{Ward}/incoming/registers/2026/follow-up.pdf", Users.Deputy));
        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);
        var followUpPdf = await followUp.Content.ReadAsByteArrayAsync();
        Assert.Contains("SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN", await Tools.PdfTextAsync(followUpPdf));
        Assert.Equal(
        [
            ["1", "02/11/2026", "Công văn số 125/UBND-VP ngày 30/10/2026 của Ủy ban nhân dân tỉnh Khánh Hòa: Về việc triển khai kế hoạch chuyển đổi số năm 2027",
                "Phòng Văn hóa - Xã hội (Lê Minh Tuấn)", "05/11/2026", "Đã xong ngày 04/11/2026", "88/UBND-VHXH ngày 04/11/2026", ""],
            ["2", "02/11/2026", "Công văn số 12/CAT-PV01 ngày 28/10/2026 của Công an tỉnh Khánh Hòa: Về công tác bảo đảm an ninh",
                "Lê Minh Tuấn", "03/11/2026", "03/11/2026: Đã xác minh", "", "Quá hạn; Mật"],
            ["4", "02/11/2026", "Công văn số 15/CAT-PV01 ngày 28/10/2026 của Công an tỉnh Khánh Hòa: Về việc bảo vệ mục tiêu",
                "Vũ Đức Anh", "03/11/2026", "Đã xong ngày 05/11/2026", "", "Trễ hạn; Mật"],
        ], await RowsAsync(followUpPdf, RegisterLayouts.FollowUp, numberColumn: 0));
    }

    [Fact]
    public async Task A_year_without_entries_prints_one_page_with_the_header_only()
    {
        await using var app = await TestApp.StartAsync();
        foreach (var register in new[] { "incoming", "follow-up" })
        {
            using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/agencies/{Ward}/incoming/registers/2001/{register}.pdf", Users.Leader));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var pdf = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(1, await Tools.PdfPageCountAsync(pdf));
            var text = await Tools.PdfTextAsync(pdf);
            Assert.Contains("Năm 2001", text);
            Assert.Contains("Số đến", text);
            Assert.Contains("Trang 1/1", text);
            Assert.Empty(await RowsAsync(pdf, register == "incoming" ? RegisterLayouts.Incoming : RegisterLayouts.FollowUp, register == "incoming" ? 1 : 0));
        }
    }

    [Fact]
    public async Task Only_the_agencys_records_clerks_and_leaders_print_its_registers()
    {
        await using var app = await TestApp.StartAsync();
        await RegisterAsync(app, await ArrivePaperAsync(app, PaperLetter("12", "Về công tác bảo đảm an ninh", secret: true)));
        var year = DateTime.UtcNow.AddHours(7).Year.ToString(CultureInfo.InvariantCulture);
        async Task<HttpStatusCode> PrintAsync(CurrentUser? user, string agency = Ward, string? yearText = null, string register = "incoming")
        {
            using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/agencies/{agency}/incoming/registers/{yearText ?? year}/{register}.pdf", user));
            return response.StatusCode;
        }

        var written = await app.CountWrittenAsync();
        Assert.Equal(HttpStatusCode.OK, await PrintAsync(Users.RecordsClerk));
        Assert.Equal(HttpStatusCode.OK, await PrintAsync(Users.Leader, register: "follow-up"));
        Assert.Equal(HttpStatusCode.Forbidden, await PrintAsync(Users.Officer));
        Assert.Equal(HttpStatusCode.Forbidden, await PrintAsync(Users.DepartmentHead, register: "follow-up"));
        Assert.Equal(HttpStatusCode.Forbidden, await PrintAsync(Users.OtherAgencyRecordsClerk));
        Assert.Equal(HttpStatusCode.Forbidden, await PrintAsync(Users.Admin));
        Assert.Equal(HttpStatusCode.Forbidden, await PrintAsync(Users.Citizen));
        Assert.Equal(HttpStatusCode.Forbidden, await PrintAsync(Users.RecordsClerk, agency: DemoData.CamLamCommune));
        Assert.Equal(HttpStatusCode.Unauthorized, await PrintAsync(null));
        Assert.Equal(HttpStatusCode.BadRequest, await PrintAsync(Users.RecordsClerk, agency: "khong-phai-ma"));
        Assert.Equal(HttpStatusCode.BadRequest, await PrintAsync(Users.RecordsClerk, yearText: "1999"));
        Assert.Equal(HttpStatusCode.BadRequest, await PrintAsync(Users.RecordsClerk, yearText: "2100", register: "follow-up"));
        Assert.Equal(HttpStatusCode.NotFound, await PrintAsync(Users.RecordsClerk, yearText: "nam-nay"));

        // The other agency's register of the same year holds nothing of this one's.
        using var other = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/agencies/{DemoData.CamLamCommune}/incoming/registers/{year}/incoming.pdf",
            Users.OtherAgencyRecordsClerk));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        var otherPdf = await other.Content.ReadAsByteArrayAsync();
        Assert.Empty(await RowsAsync(otherPdf, RegisterLayouts.Incoming, 1));
        Assert.DoesNotContain("an ninh", await Tools.PdfTextAsync(otherPdf));
        Assert.Equal(written, await app.CountWrittenAsync());
    }

    /// <summary>
    /// The table's lines as poppler reads them back: a line starts at each receipt number in its column and runs to the next;
    /// a cell is the words between the column's rules, in reading order.
    /// </summary>
    private static async Task<List<string[]>> RowsAsync(byte[] pdf, RegisterLayout layout, int numberColumn)
    {
        const double Foot = 595.28 - 40;
        var edges = PdfTableWriter.ColumnEdges(layout.Columns);
        var words = (await Tools.PdfWordsAsync(pdf)).Where(w => w.YMax <= Foot).ToList();
        int Column(PdfWord w) => Array.FindLastIndex(edges, e => e <= w.XMin + 0.01);
        var header = words.Where(w => w.Text == "chú").GroupBy(w => w.Page).ToDictionary(g => g.Key, g => g.Max(w => w.YMax));
        var starts = words.Where(w => header.TryGetValue(w.Page, out var below) && w.YMin > below && Column(w) == numberColumn && int.TryParse(w.Text, out _))
            .OrderBy(w => w.Page).ThenBy(w => w.YMin).ToList();
        var rows = new List<string[]>();
        for (var i = 0; i < starts.Count; i++)
        {
            var top = starts[i];
            var next = i + 1 < starts.Count && starts[i + 1].Page == top.Page ? starts[i + 1].YMin : double.MaxValue;
            var inRow = words.Where(w => w.Page == top.Page && w.YMin >= top.YMin - 1 && w.YMin < next - 1).ToList();
            rows.Add([.. Enumerable.Range(0, layout.Columns.Count).Select(c => string.Join(' ', ReadingOrder(inRow.Where(w => Column(w) == c)).Select(w => w.Text)))]);
        }
        return rows;
    }

    /// <summary>Line by line (words whose tops are within 2 points share a line), left to right.</summary>
    private static IEnumerable<PdfWord> ReadingOrder(IEnumerable<PdfWord> words)
    {
        var lines = new List<List<PdfWord>>();
        foreach (var word in words.OrderBy(w => w.YMin))
        {
            if (lines.Count == 0 || word.YMin - lines[^1][0].YMin > 2) lines.Add([]);
            lines[^1].Add(word);
        }
        return lines.SelectMany(line => line.OrderBy(w => w.XMin));
    }
}
