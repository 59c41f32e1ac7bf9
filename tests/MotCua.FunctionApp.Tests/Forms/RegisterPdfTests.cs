using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Correspondence.Registers;
using MotCua.FunctionApp.Forms;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests.Forms;

/// <summary>Registers printed over several pages, read back by poppler.</summary>
public sealed partial class RegisterPdfTests
{
    private const string Agency = "Ủy ban nhân dân phường Nha Trang";
    private static readonly RegisterPdf Registers = new(Options.Create(new FormOptions()));

    [Fact]
    public async Task IncomingRegister_120Entries_RunsOverPagesWithTheHeaderOnEachAndEveryEntryOnce()
    {
        var pdf = await PrintAsync(RegisterLayouts.Incoming, IncomingRows(120));

        var pageCount = await Tools.PdfPageCountAsync(pdf);
        Assert.True(pageCount > 1, $"{pageCount} page(s)");
        var pages = (await Tools.PdfTextAsync(pdf)).Split('\f')[..pageCount];
        Assert.Contains("ỦY BAN NHÂN DÂN PHƯỜNG NHA TRANG", pages[0]);
        Assert.Contains("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", pages[0]);
        Assert.Contains("Năm 2026", pages[0]);
        var seen = new List<int>();
        for (var i = 0; i < pageCount; i++)
        {
            var page = pages[i];
            var entries = EntryStart().Matches(page);
            Assert.NotEmpty(entries);
            foreach (var heading in new[] { "Ngày đến", "Số đến", "Tên loại và trích yếu nội dung", "Ký nhận", "Ghi chú" })
                Assert.True(page.IndexOf(heading, StringComparison.Ordinal) is >= 0 and var at && at < entries[0].Index, $"page {i + 1}: no \"{heading}\" above the entries");
            Assert.Contains($"Trang {i + 1}/{pageCount}", page);
            // Each entry's summary ends with a deadline no other entry has: it is on the page where the entry starts.
            var numbers = entries.Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(numbers.Select(Deadline), Deadlines().Matches(page).Select(m => m.Value));
            seen.AddRange(numbers);
        }
        Assert.Equal(Enumerable.Range(1, 120), seen);

        var text = string.Join('\n', pages);
        foreach (var word in new[] { "Khánh", "Hòa", "hướng", "dẫn", "triển", "Nghị", "định", "Phòng", "Văn", "hóa", "Xã", "hội", "Hỏa", "tốc", "Thượng", "Ủy", "Tổ", "quốc", "đô", "thị" })
            Assert.Contains(word, text);
        Assert.DoesNotContain("?", text);
        Assert.DoesNotContain("\uFFFD", text);
    }

    [Fact]
    public async Task IncomingRegister_EveryWordStaysInsideItsColumnAndAboveTheFoot()
    {
        var pdf = await PrintAsync(RegisterLayouts.Incoming, IncomingRows(40));
        var pageCount = await Tools.PdfPageCountAsync(pdf);
        var words = await Tools.PdfWordsAsync(pdf);
        var edges = PdfTableWriter.ColumnEdges(RegisterLayouts.Incoming.Columns);
        const double PageHeight = 595.28, Foot = PageHeight - 40;

        var footers = words.Where(w => w.YMin > Foot).GroupBy(w => w.Page).ToDictionary(g => g.Key, g => string.Join(' ', g.Select(w => w.Text)));
        Assert.Equal(Enumerable.Range(1, pageCount).Select(i => $"Trang {i}/{pageCount}"), Enumerable.Range(1, pageCount).Select(i => footers.GetValueOrDefault(i)));
        var table = words.Where(w => w.YMin <= Foot && !(w.Page == 1 && w.YMax < 110)).ToList();
        Assert.True(table.Count > 500, $"{table.Count} words in the table");
        foreach (var word in table)
        {
            var column = Array.FindLastIndex(edges, e => e <= word.XMin);
            Assert.True(column >= 0 && column < edges.Length - 1 && word.XMax <= edges[column + 1], $"\"{word.Text}\" on page {word.Page} runs from {word.XMin:0.0} to {word.XMax:0.0} across a column rule");
            Assert.True(word.YMax <= Foot, $"\"{word.Text}\" on page {word.Page} reaches into the foot");
        }
    }

    [Fact]
    public async Task FollowUpRegister_OneEntry_IsOnePage()
    {
        string[] entry = ["1", "05/01/2026", "Công văn số 7816/VPCP-TTĐT ngày 30/12/2025 của Văn phòng Chính phủ về việc triển khai liên thông văn bản điện tử",
            "Phòng Văn hóa - Xã hội", "15/01/2026", "Đang giải quyết: đã dự thảo văn bản trả lời", "", ""];
        var pdf = await PrintAsync(RegisterLayouts.FollowUp, Async([entry]));

        Assert.Equal(1, await Tools.PdfPageCountAsync(pdf));
        var text = await Tools.PdfTextAsync(pdf);
        Assert.Contains("SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN", text);
        Assert.Contains("Thời hạn", text);
        Assert.Contains("Trang 1/1", text);
        Assert.Contains("7816/VPCP-TTĐT", text);
    }

    [Fact]
    public async Task FollowUpRegister_AnEntryTallerThanAPage_ContinuesOnTheNextPagesUnderTheHeader()
    {
        var progress = string.Join(' ', Enumerable.Range(1, 90).Select(i => $"({i}) đã họp, lấy ý kiến các phòng;"));
        string[] tall = ["2", "06/01/2026", "Kế hoạch số 12/KH-UBND về chuyển đổi số", "Phòng Kinh tế, Hạ tầng và Đô thị", "31/03/2026", progress, "", ""];
        string[] after = ["3", "07/01/2026", "Giấy mời họp giao ban", "Văn phòng", "08/01/2026", "Đã tham dự", "", ""];
        var pdf = await PrintAsync(RegisterLayouts.FollowUp, Async([tall, after]));

        var pageCount = await Tools.PdfPageCountAsync(pdf);
        Assert.True(pageCount >= 2, $"{pageCount} page(s)");
        var pages = (await Tools.PdfTextAsync(pdf)).Split('\f')[..pageCount];
        Assert.All(pages, page => Assert.Contains("Tiến độ giải quyết", page));
        var steps = pages.SelectMany(page => Steps().Matches(page).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(Enumerable.Range(1, 90), steps);
        Assert.Contains("Giấy mời họp giao ban", pages[^1]);
    }

    [Fact]
    public async Task FollowUpRegister_MoreDistinctLettersThanOneFontHolds_PrintsEveryLetter()
    {
        // Every Vietnamese letter in both cases, Latin Extended-A and ASCII letters and digits: over 300 distinct characters, past one PdfPig font's 255.
        var letters = string.Concat(Enumerable.Range(0x1EA0, 0x1EFA - 0x1EA0).Concat(Enumerable.Range(0x0100, 0x80)).Select(c => (char)c)) 
            + "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ" + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var words = letters.Chunk(8).Select(chunk => new string(chunk)).ToList();
        string[] entry = ["1", "05/01/2026", string.Join(' ', words), "Phòng Văn hóa - Xã hội", "", "", "", ""];
        var pdf = await PrintAsync(RegisterLayouts.FollowUp, Async([entry]));

        Assert.True(letters.Distinct().Count() > 255);
        var text = await Tools.PdfTextAsync(pdf);
        Assert.All(words, word => Assert.Contains(word, text));
    }

    [Fact]
    public async Task Register_ARowWithTooFewCells_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => PrintAsync(RegisterLayouts.Incoming, Async([["05/01/2026", "1"]])));
    }

    private static async Task<byte[]> PrintAsync(RegisterLayout layout, IAsyncEnumerable<IReadOnlyList<string>> rows)
    {
        using var output = new MemoryStream();
        await Registers.WriteAsync(output, layout, Agency, "Năm 2026", rows, CancellationToken.None);
        return output.ToArray();
    }

    private static async IAsyncEnumerable<IReadOnlyList<string>> Async(IEnumerable<IReadOnlyList<string>> rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    private static string Deadline(int number) => new DateOnly(2027, 1, 1).AddDays(number).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static async IAsyncEnumerable<IReadOnlyList<string>> IncomingRows(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string[] authors = ["UBND tỉnh Khánh Hòa", "Sở Tài chính tỉnh Khánh Hòa", "Văn phòng Chính phủ", "Sở Văn hóa, Thể thao và Du lịch",
            "Ủy ban Mặt trận Tổ quốc Việt Nam phường Nha Trang", "Công an tỉnh Khánh Hòa"];
        string[] notations = ["UBND-KT", "QĐ-STC", "VPCP-TTĐT", "KH-SVHTTDL", "TB-MTTQ", "CV-CAT"];
        string[] summaries =
        [
            "Công văn về việc hướng dẫn triển khai thực hiện Nghị định số 30/2020/NĐ-CP về công tác văn thư, đề nghị các đơn vị rà soát sổ đăng ký văn bản, lập hồ sơ công việc và báo cáo kết quả",
            "Quyết định phê duyệt dự toán kinh phí chỉnh trang đô thị",
            "Thông báo kết luận của Phó Thủ tướng Chính phủ tại cuộc họp về đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình và liên thông văn bản điện tử giữa các cơ quan hành chính nhà nước các cấp",
            "Kế hoạch tổ chức các hoạt động văn hóa, thể thao chào mừng kỷ niệm ngày Quốc khánh",
            "Giấy mời họp",
            "Công văn đề nghị phối hợp xác minh nơi cư trú của công dân phục vụ giải quyết thủ tục hành chính về hộ tịch, quốc tịch",
        ];
        string[] receivers = ["Phòng Văn hóa - Xã hội", "Phòng Kinh tế, Hạ tầng và Đô thị", "Đ/c Chủ tịch UBND phường", "Văn phòng HĐND và UBND"];
        string[] notes = ["", "Hỏa tốc", "", "Khẩn", "", "Thượng khẩn"];
        var start = new DateOnly(2026, 1, 2);
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            var number = i + 1;
            var arrived = start.AddDays(i / 3);
            yield return
            [
                Date(arrived), number.ToString(CultureInfo.InvariantCulture), authors[i % authors.Length],
                $"{1000 + i * 7}/{notations[i % notations.Length]}", Date(arrived.AddDays(-2)),
                $"{summaries[i % summaries.Length]} trước ngày {Deadline(number)}", receivers[i % receivers.Length],
                Date(arrived.AddDays(1)), i % 2 == 0 ? "Đã ký" : "", notes[i % notes.Length],
            ];
        }
    }

    private static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>The first line of an entry in the incoming register: the date received, then the số đến.</summary>
    [GeneratedRegex(@"^\s*\d\d/\d\d/2026\s+(\d{1,3})\s", RegexOptions.Multiline)]
    private static partial Regex EntryStart();

    [GeneratedRegex(@"\d\d/\d\d/2027")]
    private static partial Regex Deadlines();

    [GeneratedRegex(@"\((\d+)\)")]
    private static partial Regex Steps();
}
