using System.Security.Cryptography.X509Certificates;
using System.Text;
using MotCua.FunctionApp.Correspondence.Exchange.Edxml;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;

namespace MotCua.FunctionApp.Tests.Exchange;

/// <summary>edXML packages written and read back with real XML signatures: MotCua's own, ones shaped like the official samples, and every kind of bad package.</summary>
public sealed class EdxmlPackageTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create(DateTimeOffset.UtcNow);
    private readonly X509Certificate2 _seal;
    private readonly string _folder = Directory.CreateTempSubdirectory("motcua-edxml-").FullName;

    public EdxmlPackageTests() =>
        _seal = _pki.IssueSigner("CN=UBND phường Nha Trang, O=UBND phường Nha Trang, C=VN", DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(1));

    [Fact]
    public async Task A_written_package_reads_back_whole_with_its_signature_intact()
    {
        var bytes = await EdxmlPackages.WriteAsync(EdxmlPackages.Letter(attachments: 2), _seal);
        using var read = Read(bytes);
        var header = read.Document!.Header;
        Assert.Equal(EdxmlPackages.DocumentId, header.DocumentId);
        Assert.Equal(("15", "UBND-VHXH", "Công văn", 1), (header.CodeNumber, header.CodeNotation, header.TypeName, header.Priority));
        Assert.Equal(new DateOnly(2026, 12, 15), header.DueDate);
        Assert.Equal("TM. ỦY BAN NHÂN DÂN", header.Signer!.Competence);
        Assert.Equal(EdxmlPackages.To, Assert.Single(header.To).Id);
        Assert.Equal(2, read.Files.Count);
        Assert.Equal("%PDF-1.7 tệp 1", await File.ReadAllTextAsync(read.Files[1].Path));
        Assert.All(read.Document.Attachments, a => Assert.NotNull(a.Sha256));
        var (certificate, problem) = EdxmlSignature.Verify(read.Signed);
        Assert.Null(problem);
        Assert.Equal(_seal.Thumbprint, certificate!.Thumbprint);
    }

    [Fact]
    public void A_package_shaped_like_the_official_samples_is_read_with_every_header_field()
    {
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7 công văn mẫu");
        using var read = Read(EdxmlPackages.SampleShaped(_seal, pdf));
        var h = read.Document!.Header;
        Assert.Equal(("Ủy ban nhân dân phường Nha Trang", "Nha Trang", 2, 1), (h.From.Name, h.Place, h.Priority, h.SteeringType));
        Assert.Equal(["Các sở, ban, ngành"], h.ToPlaces);
        Assert.Equal(("Chủ tịch", "Lê Văn Hùng"), (h.Signer!.Position, h.Signer.FullName));
        Assert.Equal(new DateOnly(2026, 12, 20), h.DueDate);
        Assert.Equal(("Hoàng Thị Mai", EdxmlBusinessType.New), (read.Document.Business.Staff, read.Document.Business.Type));
        Assert.Equal("cong-van.pdf", Assert.Single(read.Files).Info.Name);
        Assert.Equal(pdf, File.ReadAllBytes(read.Files[0].Path));
        Assert.Null(EdxmlSignature.Verify(read.Signed).Problem);
    }

    [Fact]
    public void A_replacement_names_what_it_replaces_and_where()
    {
        using var read = Read(EdxmlPackages.SampleShaped(_seal, [1, 2, 3], business: "3", replaced: "000.20.30.H56,2026/11/20,9/UBND-VHXH"));
        var replaced = Assert.Single(read.Document!.Business.Replaces);
        Assert.Equal(EdxmlBusinessType.Replace, read.Document.Business.Type);
        Assert.Equal(("000.20.30.H56,2026/11/20,9/UBND-VHXH", EdxmlPackages.To), (replaced.DocumentId, Assert.Single(replaced.OrganIds)));
    }

    [Fact]
    public void A_status_package_reads_back_with_its_code_and_what_it_answers()
    {
        var bytes = EdxmlPackages.Status(new EdxmlStatusPackage(new EdxmlOrgan(EdxmlPackages.To, "Sở Nội vụ tỉnh Khánh Hòa"),
            new EdxmlResponseFor(EdxmlPackages.From, "15/UBND-VHXH", new DateOnly(2026, 12, 2), EdxmlPackages.DocumentId), "02", "Văn thư: từ chối tiếp nhận. Lý do: gửi nhầm.",
            DateTimeOffset.UtcNow, null), _seal);
        using var read = Read(bytes);
        Assert.Equal(("02", EdxmlPackages.DocumentId, EdxmlPackages.From), (read.Status!.StatusCode, read.Status.ResponseFor.DocumentId, read.Status.ResponseFor.OrganId));
        Assert.Equal("Văn thư: từ chối tiếp nhận. Lý do: gửi nhầm.", read.Status.Description);
        Assert.Null(EdxmlSignature.Verify(read.Signed).Problem);
    }

    [Fact]
    public async Task A_changed_header_or_attachment_breaks_the_signature()
    {
        var bytes = Encoding.UTF8.GetString(await EdxmlPackages.WriteAsync(EdxmlPackages.Letter(), _seal));
        using (var header = Read(Encoding.UTF8.GetBytes(bytes.Replace("Ngày hội Đại đoàn kết", "Ngày hội khác", StringComparison.Ordinal))))
            Assert.Contains("không hợp lệ", EdxmlSignature.Verify(header.Signed).Problem);
        var content = Convert.ToBase64String(Encoding.UTF8.GetBytes("%PDF-1.7 tệp 0"));
        var changed = bytes.Replace(content, Convert.ToBase64String(Encoding.UTF8.GetBytes("%PDF-1.7 tệp 9")), StringComparison.Ordinal);
        Assert.NotEqual(bytes, changed);
        Assert.Contains("đã bị thay đổi", Refused(Encoding.UTF8.GetBytes(changed)));
    }

    [Fact]
    public async Task A_package_without_a_signature_or_signed_by_an_unknown_key_is_not_intact()
    {
        var unsigned = Encoding.UTF8.GetString(await EdxmlPackages.WriteAsync(EdxmlPackages.Letter(), _seal));
        var start = unsigned.IndexOf("<Signature", StringComparison.Ordinal);
        var end = unsigned.IndexOf("</Signature>", StringComparison.Ordinal) + "</Signature>".Length;
        using var read = Read(Encoding.UTF8.GetBytes(unsigned[..start] + unsigned[end..]));
        Assert.Equal("Gói tin không có chữ ký số XML.", EdxmlSignature.Verify(read.Signed).Problem);
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE edXML [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">&b;</edXML>", "DTD")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE edXML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">&x;</edXML>", "DTD")]
    [InlineData("<edXML xmlns=\"urn:other\"><edXMLEnvelope/></edXML>", "không gian tên")]
    [InlineData("<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"><edXML:edXMLEnvelope xmlns:edXML=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"><edXML:edXMLHeader>", "cắt cụt")]
    [InlineData("không phải XML", "XML")]
    [InlineData("<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"><AttachmentEncoded/></edXML>", "edXMLEnvelope")]
    public void Malformed_packages_are_refused_with_a_reason(string package, string reason) =>
        Assert.Contains(reason, Refused(Encoding.UTF8.GetBytes(package)));

    [Theory]
    [InlineData("<edXML:Subject>", "Subject")]
    [InlineData("<edXML:OrganId>" + EdxmlPackages.To, "To")]
    [InlineData("<edXML:DocumentId>", "DocumentId")]
    public void A_package_missing_a_required_header_field_is_refused(string element, string field)
    {
        var package = Encoding.UTF8.GetString(EdxmlPackages.SampleShaped(_seal, [1]));
        var broken = element switch
        {
            "<edXML:Subject>" => package.Replace("<edXML:Subject>V/v kết nối, liên thông phần mềm quản lý văn bản</edXML:Subject>", "", StringComparison.Ordinal),
            _ when field == "To" => Cut(package, "<edXML:To>", "</edXML:To>"),
            _ => Cut(package, "<edXML:DocumentId>", "</edXML:DocumentId>"),
        };
        Assert.NotEqual(package, broken);
        Assert.Contains(field, Refused(Encoding.UTF8.GetBytes(broken)));
    }

    [Fact]
    public async Task Too_many_attachments_an_oversized_package_or_envelope_and_a_deep_one_are_refused()
    {
        var many = await EdxmlPackages.WriteAsync(EdxmlPackages.Letter(attachments: 4), _seal);
        Assert.Contains("quá 3 tệp", Refused(many, new EdxmlLimits(MaxAttachments: 3)));
        var large = await EdxmlPackages.WriteAsync(EdxmlPackages.Letter(), _seal, _ => new byte[2 * 1024 * 1024]);
        Assert.Contains("vượt quá 1 MB", Refused(large, new EdxmlLimits(MaxPackageBytes: 1024 * 1024)));
        Assert.Contains("quá lớn", Refused(large.Length > 0 ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(many).Replace("<edXML:Subject>", "<edXML:Subject>" + new string('x', 40_000), StringComparison.Ordinal)) : [],
            new EdxmlLimits(MaxEnvelopeBytes: 16 * 1024)));
        // Thousands of levels: refused from the reader's count, before anything walks the tree.
        var deep = "<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"><edXMLEnvelope>" + string.Concat(Enumerable.Repeat("<a>", 40_000)) + string.Concat(Enumerable.Repeat("</a>", 40_000)) + "</edXMLEnvelope></edXML>";
        Assert.Contains("sâu", Refused(Encoding.UTF8.GetBytes(deep)));
        Assert.Empty(Directory.EnumerateFiles(_folder));
    }

    [Fact]
    public async Task A_package_about_another_agency_s_document_is_refused()
    {
        var foreign = EdxmlPackages.Letter(business: EdxmlBusinessType.Recall, documentId: "000.21.31.H56,2026/12/02,7/UBND-VP");
        Assert.Contains("không phải văn bản của cơ quan gửi", Refused(await EdxmlPackages.WriteAsync(foreign with { Attachments = [] }, _seal)));
    }

    [Fact]
    public void A_status_with_a_code_outside_the_standard_is_refused()
    {
        var bytes = Encoding.UTF8.GetString(EdxmlPackages.Status(new EdxmlStatusPackage(new EdxmlOrgan(EdxmlPackages.To, "Sở Nội vụ"),
            new EdxmlResponseFor(EdxmlPackages.From, null, null, EdxmlPackages.DocumentId), "03", null, DateTimeOffset.UtcNow, null), _seal));
        Assert.Contains("07", Refused(Encoding.UTF8.GetBytes(bytes.Replace(">03<", ">07<", StringComparison.Ordinal))));
    }

    private EdxmlRead Read(byte[] package, EdxmlLimits? limits = null)
    {
        using var input = new MemoryStream(package);
        return EdxmlReader.Read(input, _folder, limits ?? new EdxmlLimits());
    }

    private string Refused(byte[] package, EdxmlLimits? limits = null)
    {
        var refused = Assert.Throws<EdxmlException>(() => Read(package, limits).Dispose());
        Assert.Empty(Directory.EnumerateFiles(_folder));
        return refused.Message;
    }

    private static string Cut(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, from, StringComparison.Ordinal) + end.Length;
        return text[..from] + text[to..];
    }

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
