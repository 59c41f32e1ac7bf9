using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Correspondence.Registers;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Forms;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using PdfWord = MotCua.FunctionApp.Tests.Infrastructure.PdfWord;
using MotCua.FunctionApp.Tests.Signing;
using static MotCua.FunctionApp.Tests.Correspondence.OutgoingFlow;

namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>
/// The outgoing register (sổ đăng ký văn bản đi) of each numbering series, printed from the issued
/// documents with Decree 30/2020's columns: what was sent, to whom, who keeps the file copy, and where
/// it stands at each recipient.
/// </summary>
public sealed partial class OutgoingRegisterTests : IAsyncLifetime
{
    private const string Outside = "000.00.99.G01";
    private readonly OutgoingSetup _setup = new();
    private TestApp _app = default!;

    private TestPki _pki => _setup.Pki;

    public async Task InitializeAsync() => _app = await _setup.StartAsync();

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _setup.Dispose();
    }

    private static object Form(string summary, string type = "Công văn", bool secret = false, int priority = 0, string[]? recipients = null,
        string[]? otherRecipients = null) => new
    {
        documentType = type,
        summary,
        recipients = (recipients ?? [Commune]).Select(r => r == Outside ? (object)new { agency = Outside, name = "Bộ Văn hóa, Thể thao và Du lịch" } : new { agency = r })
            .ToArray(),
        signer = Users.Chairman.Id,
        // A secret draft is seen only by those it names: the department head reviews it by name.
        reviewer = secret ? Users.DepartmentHead.Id : null,
        priority,
        secret,
        otherRecipients = otherRecipients ?? ["Lưu: VT, VHXH."],
    };

    /// <summary>Signed on the chairman's phone, numbered by the records clerk, sealed, and delivered to every recipient of this deployment.</summary>
    private async Task<string> IssueAsync(CertifiedPhone phone, object form, bool secret = false)
    {
        var signed = await SignedAsync(_app, phone, form);
        var id = signed.Body.GetProperty("id").GetString()!;
        var numbered = await StepAsync(_app, id, "issue", Users.RecordsClerk, null, signed.ETag);
        Assert.True(numbered.Status == HttpStatusCode.OK, numbered.Body.ToString());
        await IssuedAsync(_app, id);
        if (secret) return id;
        await Eventually.GetAsync(async () =>
        {
            var current = await GetAsync(_app, id, Users.RecordsClerk);
            return Recipient(current, Commune).GetProperty("status").ValueKind == System.Text.Json.JsonValueKind.Object ? current : null;
        }, $"the delivery of {id} to the commune");
        return id;
    }

    [Fact]
    public async Task The_register_prints_each_series_in_number_order_with_its_recipients_statuses_over_several_pages()
    {
        using var phone = await CertifiedPhone.RegisterAsync(_app, _pki, Users.Chairman);
        const string Long = " Đề nghị các cơ quan, đơn vị căn cứ chức năng, nhiệm vụ được giao phối hợp triển khai thực hiện, bảo đảm đúng tiến độ, "
            + "chất lượng; tổng hợp kết quả, khó khăn, vướng mắc và đề xuất giải pháp tháo gỡ, gửi về Phòng Văn hóa - Xã hội trước ngày 25 hằng tháng.";
        string[] summaries =
        [
            "V/v tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026.",
            "Kế hoạch triển khai chuyển đổi số năm 2027 trên địa bàn phường.",
            "Thông báo lịch tiếp công dân của lãnh đạo Ủy ban nhân dân phường.",
            "V/v rà soát hộ nghèo, hộ cận nghèo năm 2026.",
            "V/v tăng cường công tác phòng, chống dịch sốt xuất huyết.",
            "V/v hưởng ứng Tháng hành động vì bình đẳng giới.",
        ];
        var general = new List<string>
        {
            await IssueAsync(phone, Form(summaries[0] + Long, recipients: [Commune, Outside])),
            await IssueAsync(phone, Form(summaries[1] + Long, type: "Kế hoạch", priority: 2)),
            await IssueAsync(phone, Form(summaries[2] + Long, type: "Thông báo")),
        };
        // A secret document goes on paper only: its recipients are lines of "Nơi nhận".
        await IssueAsync(phone, Form("V/v bảo đảm an ninh, trật tự dịp Tết Nguyên đán.", secret: true, recipients: [],
            otherRecipients: ["Công an tỉnh Khánh Hòa;", "Ban Chỉ huy Quân sự phường;", "Lưu: VT, VHXH."]), secret: true);
        for (var i = 3; i < summaries.Length; i++) general.Add(await IssueAsync(phone, Form(summaries[i] + Long)));

        // The commune registers the first; the ward recalls the third.
        var delivered = Recipient(await GetAsync(_app, general[0], Users.RecordsClerk), Commune).GetProperty("incomingId").GetString()!;
        var arrived = await IncomingFlow.CheckedAsync(_app, delivered, Users.OtherAgencyRecordsClerk);
        Assert.Equal(HttpStatusCode.OK, (await IncomingFlow.StepAsync(_app, delivered, "registration", Users.OtherAgencyRecordsClerk, null, arrived.ETag)).Status);
        await Eventually.GetAsync(async () =>
        {
            var current = await GetAsync(_app, general[0], Users.RecordsClerk);
            return Recipient(current, Commune).GetProperty("status").GetProperty("code").GetString() == "03" ? current : null;
        }, "the sender to see the commune's registration");
        var third = await GetAsync(_app, general[2], Users.RecordsClerk);
        Assert.Equal(HttpStatusCode.OK, (await StepAsync(_app, general[2], "recall", Users.RecordsClerk, new { reason = "Thay đổi lịch tiếp công dân." }, third.ETag)).Status);
        await Eventually.GetAsync(async () =>
        {
            var current = await GetAsync(_app, general[2], Users.RecordsClerk);
            return Recipient(current, Commune).GetProperty("status").GetProperty("code").GetString() == "15" ? current : null;
        }, "the commune to cancel the recalled document");

        var today = VietnamTime.Today(DateTimeOffset.UtcNow).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        var year = VietnamTime.Today(DateTimeOffset.UtcNow).Year.ToString(CultureInfo.InvariantCulture);
        using var response = await _app.Http.SendAsync(_app.Request(HttpMethod.Get, $"/api/agencies/{Ward}/outgoing/registers/{year}/outgoing.pdf", Users.RecordsClerk));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        Assert.True(await Tools.PdfPageCountAsync(pdf) >= 2, "six documents with long summaries take more than one page");
        var text = await Tools.PdfTextAsync(pdf);
        Assert.Contains("ỦY BAN NHÂN DÂN PHƯỜNG NHA TRANG", text);
        Assert.Contains("SỔ ĐĂNG KÝ VĂN BẢN ĐI", text);
        Assert.Contains($"Năm {year}", text);
        Assert.DoesNotContain("an ninh", text);
        var pages = await Tools.PdfPageCountAsync(pdf);
        Assert.Contains($"Trang {pages}/{pages}", text);

        const string Signer = "Lê Văn Hùng (Chủ tịch)";
        const string Drafting = "Phòng Văn hóa - Xã hội";
        const string CommuneName = "Ủy ban nhân dân xã Cam Lâm";
        var rows = await RowsAsync(pdf, RegisterLayouts.Outgoing);
        Assert.Equal(
        [
            ["01/UBND-VHXH", today, "Công văn: " + summaries[0] + Long, Signer, $"{CommuneName}; Bộ Văn hóa, Thể thao và Du lịch", Drafting, "1", today,
                $"{CommuneName}: Đã vào sổ ({today}); Bộ Văn hóa, Thể thao và Du lịch: Chờ gửi qua trục liên thông", ""],
            ["02/KH-UBND", today, "Kế hoạch: " + summaries[1] + Long, Signer, CommuneName, Drafting, "1", today, $"{CommuneName}: Đã đến ({today})", "Thượng khẩn"],
            ["03/TB-UBND", today, "Thông báo: " + summaries[2] + Long, Signer, CommuneName, Drafting, "1", today, $"{CommuneName}: Đã thu hồi ({today})",
                $"Đã thu hồi ngày {today}: Thay đổi lịch tiếp công dân."],
            ["04/UBND-VHXH", today, "Công văn: " + summaries[3] + Long, Signer, CommuneName, Drafting, "1", today, $"{CommuneName}: Đã đến ({today})", ""],
            ["05/UBND-VHXH", today, "Công văn: " + summaries[4] + Long, Signer, CommuneName, Drafting, "1", today, $"{CommuneName}: Đã đến ({today})", ""],
            ["06/UBND-VHXH", today, "Công văn: " + summaries[5] + Long, Signer, CommuneName, Drafting, "1", today, $"{CommuneName}: Đã đến ({today})", ""],
        ], rows);
        // Every row is whole on one page: the later ones are on later pages.
        Assert.True((await Tools.PdfWordsAsync(pdf)).Where(w => w.Text == "06/UBND-VHXH").Single().Page >= 2);

        // The secret series has its own register and numbers, printed for a leader.
        using var secretResponse = await _app.Http.SendAsync(_app.Request(HttpMethod.Get,
            $"/api/agencies/{Ward}/outgoing/registers/{year}/outgoing.pdf?series=secret", Users.Leader));
        Assert.Equal(HttpStatusCode.OK, secretResponse.StatusCode);
        var secretPdf = await secretResponse.Content.ReadAsByteArrayAsync();
        Assert.Contains("Văn bản mật", await Tools.PdfTextAsync(secretPdf));
        Assert.Equal(
        [
            ["01/UBND-VHXH", today, "Công văn: V/v bảo đảm an ninh, trật tự dịp Tết Nguyên đán.", Signer,
                "Công an tỉnh Khánh Hòa; Ban Chỉ huy Quân sự phường", Drafting, "2", today, "", "Mật"],
        ], await RowsAsync(secretPdf, RegisterLayouts.Outgoing));
    }

    [Fact]
    public async Task Only_the_agencys_records_clerks_and_leaders_print_its_register_of_a_known_series_and_year()
    {
        var year = VietnamTime.Today(DateTimeOffset.UtcNow).Year.ToString(CultureInfo.InvariantCulture);
        async Task<(HttpStatusCode, string)> PrintAsync(CurrentUser? user, string agency = Ward, string? yearText = null, string query = "")
        {
            using var response = await _app.Http.SendAsync(_app.Request(HttpMethod.Get, $"/api/agencies/{agency}/outgoing/registers/{yearText ?? year}/outgoing.pdf{query}", user));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var written = await _app.CountWrittenAsync();
        Assert.Equal(HttpStatusCode.OK, (await PrintAsync(Users.RecordsClerk)).Item1);
        Assert.Equal(HttpStatusCode.OK, (await PrintAsync(Users.Deputy, query: "?series=qppl-Q%C4%90")).Item1);
        var (forbidden, problem) = await PrintAsync(Users.Officer);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Contains("Chỉ văn thư và lãnh đạo cơ quan in sổ văn bản đi.", problem);
        Assert.Equal(HttpStatusCode.Forbidden, (await PrintAsync(Users.DepartmentHead)).Item1);
        Assert.Equal(HttpStatusCode.Forbidden, (await PrintAsync(Users.OtherAgencyRecordsClerk)).Item1);
        Assert.Equal(HttpStatusCode.Forbidden, (await PrintAsync(Users.Admin)).Item1);
        Assert.Equal(HttpStatusCode.Forbidden, (await PrintAsync(Users.Citizen)).Item1);
        Assert.Equal(HttpStatusCode.Forbidden, (await PrintAsync(Users.RecordsClerk, agency: DemoData.CamLamCommune)).Item1);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PrintAsync(null)).Item1);
        Assert.Equal(HttpStatusCode.BadRequest, (await PrintAsync(Users.RecordsClerk, agency: "khong-phai-ma")).Item1);
        var (early, earlyProblem) = await PrintAsync(Users.RecordsClerk, yearText: "1999");
        Assert.Equal(HttpStatusCode.BadRequest, early);
        Assert.Contains("Năm từ 2000 đến 2099.", earlyProblem);
        Assert.Equal(HttpStatusCode.BadRequest, (await PrintAsync(Users.RecordsClerk, yearText: "2100")).Item1);
        Assert.Equal(HttpStatusCode.NotFound, (await PrintAsync(Users.RecordsClerk, yearText: "nam-nay")).Item1);
        foreach (var series in new[] { "mat", "qppl-XYZ", "qppl-", "GENERAL" })
        {
            var (status, seriesProblem) = await PrintAsync(Users.RecordsClerk, query: "?series=" + series);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("series", seriesProblem);
        }
        Assert.Equal(written, await _app.CountWrittenAsync());
    }

    /// <summary>
    /// The table's lines as poppler reads them back: a line starts at each number and notation ("01/UBND-VHXH") in the first
    /// column and runs to the next; a cell is the words between the column's rules, in reading order.
    /// </summary>
    private static async Task<List<string[]>> RowsAsync(byte[] pdf, RegisterLayout layout)
    {
        const double Foot = 595.28 - 40;
        var edges = PdfTableWriter.ColumnEdges(layout.Columns);
        var words = (await Tools.PdfWordsAsync(pdf)).Where(w => w.YMax <= Foot).ToList();
        int Column(PdfWord w) => Array.FindLastIndex(edges, e => e <= w.XMin + 0.01);
        var header = words.Where(w => w.Text == "chú").GroupBy(w => w.Page).ToDictionary(g => g.Key, g => g.Max(w => w.YMax));
        var starts = words.Where(w => header.TryGetValue(w.Page, out var below) && w.YMin > below && Column(w) == 0 && Symbol().IsMatch(w.Text))
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

    [GeneratedRegex(@"^\d{2,}/")]
    private static partial Regex Symbol();

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
