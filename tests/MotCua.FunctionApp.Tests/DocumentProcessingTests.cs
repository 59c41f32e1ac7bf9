using MotCua.FunctionApp.Storage;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MotCua.FunctionApp.Documents;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;

namespace MotCua.FunctionApp.Tests;

/// <summary>
/// Documents end to end on Azurite, poppler and tesseract: uploaded, their signatures verified,
/// their text read (OCR for scans), indexed, and the outcome recorded on the dossier.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class DocumentProcessingTests : IDisposable
{
    /// <summary>The queue transport the app runs on; a subclass runs every test again on Service Bus.</summary>
    protected virtual QueueTransportKind Transport => QueueTransportKind.StorageQueues;

    private const string BusinessProcedure = "2.000889"; // component 1 requires a signature
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TestPki _pki = TestPki.Create(Now);
    private readonly string _trust = Directory.CreateTempSubdirectory("motcua-trust-").FullName;

    public DocumentProcessingTests() => _pki.WriteTrustFolder(_trust);

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_trust, recursive: true);
    }

    private Task<TestApp> StartAsync(Dictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?> { ["Signatures:TrustFolder"] = _trust, ["Text:MaxPages"] = "5" };
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        return TestApp.StartAsync(settings: settings, transport: Transport, services: services);
    }

    private byte[] SignedApplication() => SignedPdfBuilder.Sign(
        SignedPdfBuilder.CreatePdf(["GIAY DE NGHI DANG KY HO KINH DOANH", "Ten ho kinh doanh: Tiem banh Hoa Sen", "Dia chi: 12 Tran Phu"]),
        _pki.IssueSigner("CN=Nguyễn Thị Hoa, C=VN", Now.AddYears(-1), Now.AddYears(1)),
        new PdfSignatureOptions { SubFilter = PdfSubFilter.EtsiCadesDetached, SigningTime = Now });

    private static readonly string[] ResidenceLines = ["GIẤY XÁC NHẬN CƯ TRÚ", "Họ và tên: Nguyễn Thị Hoa", "Nơi cư trú: Phường Điện Biên, Hà Nội"];

    [Fact]
    public async Task A_signed_pdf_and_a_scan_are_verified_read_and_found_by_plain_words()
    {
        await using var app = await StartAsync();
        var scan = Scans.ImagePdf(await Scans.ImageAsync(Scans.TextPdf(ResidenceLines, size: 18), "jpeg", dpi: 300));
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen, new Submission()
            .Dossier(Submission.DossierJson(procedure: BusinessProcedure))
            .Document(1, "de-nghi.pdf", SignedApplication())
            .Document("xac-nhan-cu-tru.pdf", scan));

        var dossier = await DocumentApi.CheckedAsync(app, submitted.Code, 2);

        var signed = dossier.Documents.Single(d => d.FileName == "de-nghi.pdf");
        Assert.Equal("valid", signed.SignatureVerdict);
        Assert.Equal(1, signed.Component);
        Assert.Contains("Nguyễn Thị Hoa", Assert.Single(signed.Signatures).Signer);
        Assert.Equal(1, signed.TextLayerPages);
        Assert.Empty(dossier.DocumentChecks.UnsignedComponents);

        var scanned = dossier.Documents.Single(d => d.FileName == "xac-nhan-cu-tru.pdf");
        Assert.Equal("unsigned", scanned.SignatureVerdict);
        Assert.Equal((1, 1, 0), (scanned.Pages, scanned.OcrPages, scanned.FailedPages));
        Assert.Equal(DocumentStages.Recorded, scanned.Stage);
        var page = await DocumentApi.PageAsync(app, submitted.Code, scanned.Id, 1, Users.Clerk);
        Assert.Equal("ocr", page.Source);
        Assert.Contains("Điện Biên", page.Text);
        Assert.Contains("Nguyễn Thị Hoa", page.Text);
        Assert.True(page.Confidence > 50, $"confidence {page.Confidence}");

        // The outcome is in the history, once per document, and the clerk's search finds both the words and the applicant.
        Assert.Equal(2, dossier.History.Count(h => h.Action == Documents.Processing.RecordOutcomeFunction.Action));
        var byWords = Assert.Single(await DocumentApi.SearchAsync(app, "phuong dien bien", Users.Clerk));
        Assert.Equal(submitted.Code, byWords.DossierCode);
        var match = Assert.Single(byWords.Matches);
        Assert.Equal((scanned.Id, "xac-nhan-cu-tru.pdf", 1), (match.DocumentId, match.FileName, match.Page));
        Assert.Contains("Điện Biên", match.Snippet);
        Assert.Contains(await DocumentApi.SearchAsync(app, "NGUYEN thi", Users.Clerk), r => r.DossierCode == submitted.Code && r.Matches.Any(m => m.Field == "applicant"));
        Assert.Single(await DocumentApi.SearchAsync(app, "tiem banh hoa sen", Users.Clerk));
        Assert.Single(await DocumentApi.SearchAsync(app, submitted.Code, Users.Clerk));
        Assert.Single(await DocumentApi.SearchAsync(app, "001190012345", Users.Clerk));

        // Another unit's officials never see it.
        Assert.Empty(await DocumentApi.SearchAsync(app, "phuong dien bien", Users.OtherUnitClerk));
        Assert.Empty(await DocumentApi.SearchAsync(app, "nguyen thi hoa", Users.OtherUnitClerk));
    }

    [Fact]
    public async Task Trust_anchors_can_come_from_a_blob_container()
    {
        var container = "trust" + Guid.NewGuid().ToString("N")[..12];
        await using var app = await TestApp.StartAsync(settings: new() { ["Signatures:TrustContainer"] = container }, transport: Transport);
        var blobs = app.Services.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>().GetBlobContainerClient(container);
        await blobs.CreateAsync();
        foreach (var file in Directory.EnumerateFiles(_trust, "*", SearchOption.AllDirectories))
            await blobs.UploadBlobAsync(Path.GetRelativePath(_trust, file).Replace('\\', '/'), BinaryData.FromBytes(await File.ReadAllBytesAsync(file)));

        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen, new Submission()
            .Dossier(Submission.DossierJson(procedure: BusinessProcedure)).Document(1, "de-nghi.pdf", SignedApplication()));

        Assert.Equal("valid", Assert.Single((await DocumentApi.CheckedAsync(app, submitted.Code, 1)).Documents).SignatureVerdict);
        await blobs.DeleteAsync();
    }

    [Fact]
    public async Task A_component_that_requires_a_signature_is_flagged_when_its_document_has_no_valid_one()
    {
        await using var app = await StartAsync();
        var rogue = _pki.IssueSigner("CN=Kẻ Giả Mạo, C=VN", Now.AddYears(-1), Now.AddYears(1), issuer: _pki.RogueRoot);
        var untrusted = SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(["GIAY DE NGHI"]), rogue, new PdfSignatureOptions { SigningTime = Now });
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen, new Submission()
            .Dossier(Submission.DossierJson(procedure: BusinessProcedure)).Document(1, "de-nghi.pdf", untrusted));

        var dossier = await DocumentApi.CheckedAsync(app, submitted.Code, 1);

        Assert.Equal("untrusted-chain", Assert.Single(dossier.Documents).SignatureVerdict);
        Assert.Equal([1], dossier.DocumentChecks.UnsignedComponents);
        var entry = dossier.History.Single(h => h.Action == Documents.Processing.RecordOutcomeFunction.Action);
        Assert.Contains("không thuộc tổ chức", entry.Comment);
        Assert.Equal([1], entry.Details!.Value.GetProperty("unsignedComponents").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task A_detached_signature_added_later_signs_its_document_and_clears_the_flag()
    {
        await using var app = await StartAsync();
        var application = SignedPdfBuilder.CreatePdf(["GIAY DE NGHI DANG KY HO KINH DOANH"]);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen, new Submission()
            .Dossier(Submission.DossierJson(procedure: BusinessProcedure)).Document(1, "de-nghi.pdf", application));
        Assert.Equal([1], (await DocumentApi.CheckedAsync(app, submitted.Code, 1)).DocumentChecks.UnsignedComponents);

        var p7s = DetachedSignature.CreateDetached(application, _pki.IssueSigner("CN=Nguyễn Thị Hoa, C=VN", Now.AddYears(-1), Now.AddYears(1)),
            new CmsSignatureOptions { SigningTime = Now });
        var added = await AddAsync(app, submitted.Code, Users.Citizen, ("document:1", "de-nghi.pdf.p7s", p7s));
        Assert.False(Assert.Single(added).Duplicate);

        var dossier = await DocumentApi.CheckedAsync(app, submitted.Code, 2);
        var signature = dossier.Documents.Single(d => d.Kind == "signature");
        Assert.Equal("valid", signature.SignatureVerdict);
        Assert.Equal(dossier.Documents.Single(d => d.Kind == "pdf").Id, signature.SignsDocumentId);
        Assert.Empty(dossier.DocumentChecks.UnsignedComponents);
        Assert.Contains(dossier.History, h => h.Action == DocumentAdditions.AddedAction && h.Comment.Contains("de-nghi.pdf.p7s"));
    }

    [Fact]
    public async Task A_detached_signature_without_its_document_and_a_truncated_pdf_say_why_they_are_malformed()
    {
        await using var app = await StartAsync();
        var p7s = DetachedSignature.CreateDetached(SignedPdfBuilder.CreatePdf(["GIAY DE NGHI"]),
            _pki.IssueSigner("CN=Nguyễn Thị Hoa, C=VN", Now.AddYears(-1), Now.AddYears(1)), new CmsSignatureOptions { SigningTime = Now });
        var signed = SignedApplication();
        var code = (await DossierApi.SubmitAsync(app, Users.Citizen, new Submission().Dossier(Submission.DossierJson())
            .Document("chu-ky.p7s", p7s).Document("bi-cat.pdf", signed[..(signed.Length - 200)]))).Code;

        var dossier = await DocumentApi.CheckedAsync(app, code, 2);

        var signature = dossier.Documents.Single(d => d.FileName == "chu-ky.p7s");
        Assert.Equal("malformed", signature.SignatureVerdict);
        Assert.Contains("Thiếu nội dung được ký", signature.SignatureReason);
        Assert.Contains("signed content was not provided", signature.SignatureReason);
        var truncated = dossier.Documents.Single(d => d.FileName == "bi-cat.pdf");
        Assert.Equal("malformed", truncated.SignatureVerdict);
        Assert.Empty(truncated.Signatures);
        Assert.Contains("truncated", truncated.SignatureReason);
        Assert.StartsWith("Tệp bị hỏng", truncated.SignatureReason);
        Assert.Contains("/ The file is damaged", truncated.SignatureReason);
        Assert.Equal(truncated.SignatureReason, (await DocumentApi.DetailAsync(app, code, truncated.Id, Users.Clerk)).Document.SignatureReason);
    }

    [Fact]
    public async Task The_same_bytes_added_twice_give_back_the_first_document()
    {
        await using var app = await StartAsync();
        var code = (await DossierApi.SubmitAsync(app, Users.Citizen)).Code;
        var page = Scans.TextPdf(["Bản sao giấy khai sinh"]);

        var first = Assert.Single(await AddAsync(app, code, Users.Citizen, ("document", "khai-sinh.pdf", page)));
        var again = Assert.Single(await AddAsync(app, code, Users.Clerk, ("document", "khai-sinh (1).pdf", page)));

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(first.DocumentId, again.DocumentId);
        var dossier = await DocumentApi.CheckedAsync(app, code, 2);
        Assert.Equal(2, dossier.Documents.Count);
        Assert.Equal(2, dossier.DocumentChecks.Documents);
        var blobs = new List<string>();
        await foreach (var blob in app.Documents.GetBlobsAsync()) blobs.Add(blob.Name);
        Assert.Equal(2, blobs.Count);
    }

    [Fact]
    public async Task A_direct_upload_is_checked_against_its_announcement_then_processed()
    {
        await using var app = await StartAsync();
        var code = (await DossierApi.SubmitAsync(app, Users.Citizen)).Code;
        var png = await Scans.ImageAsync(Scans.TextPdf(ResidenceLines, size: 18), "png", dpi: 300);
        var sha = Convert.ToHexStringLower(SHA256.HashData(png));

        var ticket = await RequestUploadAsync(app, code, new { fileName = "anh-chup.png", length = png.Length, sha256 = sha }, HttpStatusCode.Created);
        var documentId = ticket.GetProperty("documentId").GetString()!;
        var url = ticket.GetProperty("uploadUrl").GetString()!;
        Assert.Contains("sig=", url);
        Assert.Contains("sp=cw", url);

        // Nothing uploaded yet: the confirmation says so and changes nothing.
        Assert.Equal(HttpStatusCode.Conflict, (await ConfirmAsync(app, code, documentId)).StatusCode);

        // The wrong bytes are refused and removed, so the same ticket can be used again.
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(url, [.. png, 0])).StatusCode);
        using (var wrong = await ConfirmAsync(app, code, documentId))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
            Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(url, png)).StatusCode);
        using (var confirmed = await ConfirmAsync(app, code, documentId))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }
        using (var repeated = await ConfirmAsync(app, code, documentId))
        {
            Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        }

        var dossier = await DocumentApi.CheckedAsync(app, code, 2);
        var image = dossier.Documents.Single(d => d.Id == documentId);
        Assert.Equal(("png", "image/png", png.Length), (image.Kind, image.ContentType, image.Length));
        Assert.Equal(1, image.OcrPages);
        Assert.Contains("Nguyễn Thị Hoa", (await DocumentApi.PageAsync(app, code, documentId, 1, Users.Citizen)).Text);
        Assert.Single(dossier.History, h => h.Action == DocumentAdditions.AddedAction);

        // The same bytes announced again need no upload.
        var duplicate = await RequestUploadAsync(app, code, new { fileName = "anh-chup-2.png", length = png.Length, sha256 = sha }, HttpStatusCode.OK);
        Assert.True(duplicate.GetProperty("duplicate").GetBoolean());
        Assert.Equal(documentId, duplicate.GetProperty("documentId").GetString());
    }

    [Fact]
    public async Task A_confirmed_upload_is_out_of_its_address_s_reach()
    {
        await using var app = await StartAsync();
        var code = (await DossierApi.SubmitAsync(app, Users.Citizen)).Code;
        var pdf = Scans.TextPdf(["Giấy ủy quyền nộp hồ sơ thay"]);
        var sha = Convert.ToHexStringLower(SHA256.HashData(pdf));
        var ticket = await RequestUploadAsync(app, code, new { fileName = "uy-quyen.pdf", length = pdf.Length, sha256 = sha }, HttpStatusCode.Created);
        var documentId = ticket.GetProperty("documentId").GetString()!;
        var url = ticket.GetProperty("uploadUrl").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(url, pdf)).StatusCode);
        using (var confirmed = await ConfirmAsync(app, code, documentId)) Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);

        // The address is still valid for a while: whatever it accepts now is never read as the document.
        var forged = Scans.TextPdf(["Giấy ủy quyền giả mạo"]);
        using (var put = await PutAsync(url, forged)) Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        var dossier = await DocumentApi.CheckedAsync(app, code, 2);
        var document = dossier.Documents.Single(d => d.Id == documentId);
        Assert.Null(document.Failure);
        Assert.Equal((sha, (long)pdf.Length), (document.Sha256, document.Length));
        var row = await app.Tables.Documents.QueryAsync<Dossiers.DocumentEntity>(d => d.RowKey == documentId).SingleAsync();
        var stored = (await app.Documents.GetBlobClient(row.BlobName).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(stored)));
        Assert.Contains("ủy quyền nộp hồ sơ", (await DocumentApi.PageAsync(app, code, documentId, 1, Users.Clerk)).Text);
        // The forged bytes landed, and only on the staging blob the address names.
        var staging = app.Documents.GetBlobClient(DocumentAdditions.StagingName(row));
        Assert.Equal(new Uri(url).AbsolutePath, staging.Uri.AbsolutePath);
        Assert.Equal(forged, (await staging.DownloadContentAsync()).Value.Content.ToArray());
        Assert.NotEqual(staging.Name, row.BlobName);
    }

    [Fact]
    public async Task A_confirmation_whose_copy_fails_asks_to_confirm_again_and_the_next_one_stores_the_file()
    {
        var faults = new StorageFaults();
        await using var app = await StartAsync(services: faults.InstallOnBlobs);
        var code = (await DossierApi.SubmitAsync(app, Users.Citizen)).Code;
        var pdf = Scans.TextPdf(["Giấy ủy quyền nộp hồ sơ thay"]);
        var sha = Convert.ToHexStringLower(SHA256.HashData(pdf));
        var ticket = await RequestUploadAsync(app, code, new { fileName = "uy-quyen.pdf", length = pdf.Length, sha256 = sha }, HttpStatusCode.Created);
        var documentId = ticket.GetProperty("documentId").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(ticket.GetProperty("uploadUrl").GetString()!, pdf)).StatusCode);

        faults.Refuse(m => m.Request.Method == Azure.Core.RequestMethod.Put && m.Request.Headers.Contains("x-ms-copy-source"));
        using (var failed = await ConfirmAsync(app, code, documentId))
        {
            Assert.Equal(HttpStatusCode.Conflict, failed.StatusCode);
            Assert.EndsWith("upload-not-finished", JsonDocument.Parse(await failed.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString());
        }
        faults.Clear();
        using (var confirmed = await ConfirmAsync(app, code, documentId)) Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);

        var document = (await DocumentApi.CheckedAsync(app, code, 2)).Documents.Single(d => d.Id == documentId);
        Assert.Equal((sha, (string?)null), (document.Sha256, document.Failure));
    }

    [Fact]
    public async Task Word_and_excel_files_with_detached_signatures_are_verified_and_their_words_found()
    {
        await using var app = await StartAsync();
        var docx = OfficeFiles.Docx(["ĐƠN ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH", "Tên hộ kinh doanh: Tiệm may Hương Giang", "Địa chỉ: 45 Lê Lợi, phường Bến Thành"]);
        var xlsx = OfficeFiles.Xlsx([["Họ và tên", "Chức vụ"], ["Trần Văn Quyết", "Chủ hộ"], ["Lý Thị Xuân", "Kế toán"]]);
        var signer = _pki.IssueSigner("CN=Nguyễn Thị Hoa, C=VN", Now.AddYears(-1), Now.AddYears(1));
        var code = (await DossierApi.SubmitAsync(app, Users.Citizen, new Submission().Dossier(Submission.DossierJson())
            .Document("don-de-nghi.docx", docx)
            .Document("don-de-nghi.docx.p7s", DetachedSignature.CreateDetached(docx, signer, new CmsSignatureOptions { SigningTime = Now }))
            .Document("danh-sach.xlsx", xlsx)
            .Document("danh-sach.xlsx.p7s", DetachedSignature.CreateDetached(xlsx, signer, new CmsSignatureOptions { SigningTime = Now })))).Code;

        var dossier = await DocumentApi.CheckedAsync(app, code, 4);

        var word = dossier.Documents.Single(d => d.FileName == "don-de-nghi.docx");
        var excel = dossier.Documents.Single(d => d.FileName == "danh-sach.xlsx");
        Assert.Equal(("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", null, 1), (word.Kind, word.ContentType, word.Failure, word.Pages));
        Assert.Equal(("xlsx", null, 1), (excel.Kind, excel.Failure, excel.Pages));
        foreach (var (signature, signed) in new[] { ("don-de-nghi.docx.p7s", word), ("danh-sach.xlsx.p7s", excel) })
        {
            var p7s = dossier.Documents.Single(d => d.FileName == signature);
            Assert.Equal(("signature", "valid", signed.Id), (p7s.Kind, p7s.SignatureVerdict, p7s.SignsDocumentId));
        }
        var byWords = Assert.Single(await DocumentApi.SearchAsync(app, "tiem may huong giang", Users.Clerk));
        Assert.Equal(word.Id, Assert.Single(byWords.Matches).DocumentId);
        var byCell = Assert.Single(await DocumentApi.SearchAsync(app, "ly thi xuan ke toan", Users.Clerk));
        Assert.Equal(excel.Id, Assert.Single(byCell.Matches).DocumentId);
        Assert.Contains("Lý Thị Xuân", (await DocumentApi.PageAsync(app, code, excel.Id, 1, Users.Clerk)).Text);
    }

    [Fact]
    public async Task Word_files_whose_content_types_come_last_are_known_by_their_central_directory()
    {
        await using var app = await StartAsync(new() { ["Documents:AcceptedKinds"] = "pdf, docx" });
        var small = OfficeFiles.Docx(["Biên bản nghiệm thu công trình nhà văn hóa"], imageBytes: 200 * 1024);
        var large = OfficeFiles.Docx(["Bản vẽ thiết kế cổng trường tiểu học"], imageBytes: 5 * 1024 * 1024);
        // The SDK puts [Content_Types].xml last: the first bytes alone read as a plain archive.
        Assert.Equal(Domain.Documents.DocumentKind.Zip, Domain.Documents.DocumentKinds.Sniff(small.AsSpan(0, Domain.Documents.DocumentKinds.SniffLength)));
        var code = (await DossierApi.SubmitAsync(app, Users.Citizen, new Submission().Dossier(Submission.DossierJson())
            .Document("bien-ban.docx", small).Document("ban-ve.docx", large))).Code;

        var dossier = await DocumentApi.CheckedAsync(app, code, 2);

        foreach (var (name, words) in new[] { ("bien-ban.docx", "nghiem thu cong trinh nha van hoa"), ("ban-ve.docx", "ban ve thiet ke cong truong") })
        {
            var document = dossier.Documents.Single(d => d.FileName == name);
            Assert.Equal(("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (string?)null), (document.Kind, document.ContentType, document.Failure));
            Assert.Equal(document.Id, Assert.Single(Assert.Single(await DocumentApi.SearchAsync(app, words, Users.Clerk)).Matches).DocumentId);
        }
    }

    [Fact]
    public async Task Office_files_are_judged_by_their_bytes_and_the_allow_list()
    {
        await using var app = await StartAsync(new()
        {
            ["Documents:AcceptedKinds"] = "pdf, docx, signature",
            ["Text:MaxArchiveExpandedMegabytes"] = "1",
        });
        var docx = OfficeFiles.Docx(["Tờ khai"]);
        var code = (await DossierApi.SubmitAsync(app, Users.Citizen, new Submission().Dossier(Submission.DossierJson())
            .Document("that-ra-la-pdf.docx", Scans.TextPdf(["Tờ khai thật ra là PDF"]))
            .Document("hong.docx", docx[..(docx.Length - 30)])
            .Document("bom.docx", OfficeFiles.Docx(["Tờ khai"], paddingBytes: 4 * 1024 * 1024)))).Code;

        var dossier = await DocumentApi.CheckedAsync(app, code, 3);

        Assert.Equal("extension-mismatch", dossier.Documents.Single(d => d.FileName == "that-ra-la-pdf.docx").Failure);
        Assert.Equal("malformed", dossier.Documents.Single(d => d.FileName == "hong.docx").Failure);
        Assert.Equal("archive-too-large", dossier.Documents.Single(d => d.FileName == "bom.docx").Failure);
        Assert.All(dossier.Documents, d => Assert.Equal(DocumentStages.Recorded, d.Stage));

        // An Excel file, a kind left off the list, is refused; so is a plain archive named like a Word file.
        foreach (var (name, bytes) in new[] { ("danh-sach.xlsx", OfficeFiles.Xlsx([["Họ và tên"]])), ("nen.docx", OfficeFiles.Zip(("to-khai.txt", "không phải tài liệu Word"))) })
        {
            var submission = new Submission().Part($"Content-Disposition: form-data; name=\"document\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream", () => new MemoryStream(bytes));
            using var refused = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/dossiers/{code}/documents", Users.Citizen, submission.ToContent()));
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
            Assert.EndsWith("unsupported-document-type", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task A_word_file_whose_one_text_run_passes_the_part_cap_fails_with_a_reason()
    {
        await using var app = await StartAsync(new() { ["Text:MaxOfficePartCharacters"] = "100000" });
        var code = (await DossierApi.SubmitAsync(app, Users.Citizen, new Submission().Dossier(Submission.DossierJson())
            .Document("mot-doan-dai.docx", OfficeFiles.Docx([new string('a', 300_000)]))
            .Document("binh-thuong.docx", OfficeFiles.Docx(["Giấy xác nhận tình trạng hôn nhân"])))).Code;

        var dossier = await DocumentApi.CheckedAsync(app, code, 2);

        var huge = dossier.Documents.Single(d => d.FileName == "mot-doan-dai.docx");
        Assert.Equal("archive-too-large", huge.Failure);
        Assert.Contains("word/document.xml", huge.FailureDetail);
        Assert.Null(dossier.Documents.Single(d => d.FileName == "binh-thuong.docx").Failure);
        Assert.All(dossier.Documents, d => Assert.Equal(DocumentStages.Recorded, d.Stage));
    }

    [Fact]
    public async Task Steps_read_only_the_bytes_that_were_accepted()
    {
        await using var app = await StartAsync();
        var code = (await DossierApi.SubmitAsync(app, Users.Citizen)).Code;
        var row = (await DocumentApi.CheckedAsync(app, code, 1)).Documents[0];
        var document = await app.Tables.Documents.QueryAsync<Dossiers.DocumentEntity>(d => d.RowKey == row.Id).SingleAsync();
        var steps = app.Services.GetRequiredService<Documents.Processing.DocumentSteps>();
        var folder = Directory.CreateTempSubdirectory("motcua-replaced-").FullName;

        // As accepted, the blob downloads; once its bytes are replaced (a direct-upload address is writable until it expires), it does not.
        Assert.True(File.Exists(await steps.DownloadAsync(document, folder, CancellationToken.None)));
        await app.Documents.GetBlobClient(document.BlobName).UploadAsync(BinaryData.FromString("%PDF-1.7 something else"), overwrite: true);
        await Assert.ThrowsAsync<Documents.Processing.DocumentReplacedException>(() => steps.DownloadAsync(document, folder, CancellationToken.None));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Hostile_files_fail_with_a_reason_and_the_worker_keeps_going()
    {
        await using var app = await StartAsync(new() { ["Text:DocumentTimeoutSeconds"] = "30" });
        var hugePng = new byte[33];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0, 8, 0 }.CopyTo(hugePng, 0);
        var pngNamedPdf = await Scans.ImageAsync(Scans.TextPdf(["ảnh"]), "png", dpi: 50);
        var good = Scans.TextPdf(["Đơn đề nghị cấp giấy phép xây dựng nhà ở riêng lẻ"]);
        var files = new (string Name, byte[] Bytes, string? Failure)[]
        {
            ("mat-khau.pdf", await EncryptedAsync(good), "encrypted"),
            ("anh-khong-lo.png", hugePng, "image-too-large"),
            ("doi-ten.pdf", pngNamedPdf, "extension-mismatch"),
            ("rac.pdf", [.. System.Text.Encoding.ASCII.GetBytes("%PDF-1.7\n"), .. Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7))], "malformed"),
            ("trang-gia.pdf", Scans.Assemble([
                "<< /Type /Catalog /Pages 2 0 R >>"u8.ToArray(), "<< /Type /Pages /Kids [3 0 R] /Count 100000000 >>"u8.ToArray(),
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"u8.ToArray()]), "malformed"),
            ("nhieu-trang.pdf", SignedPdfBuilder.CreatePdf(["trang"], pages: 6), "too-many-pages"),
            ("cat-doi.pdf", good[..(good.Length / 2)], null),
            ("long-nhau.pdf", Scans.Assemble([
                [.. System.Text.Encoding.ASCII.GetBytes("<< /Type /Catalog /Pages 2 0 R /X "), .. Enumerable.Repeat((byte)'[', 50_000), .. Enumerable.Repeat((byte)']', 50_000), .. System.Text.Encoding.ASCII.GetBytes(" >>")],
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"u8.ToArray(), "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"u8.ToArray()]), null),
            ("bom-nen.pdf", DecompressionBomb(60_000_000), null),
            ("tot.pdf", good, null),
        };
        var submission = new Submission().Dossier(Submission.DossierJson());
        foreach (var (name, bytes, _) in files) submission.Document(name, bytes);
        var code = (await DossierApi.SubmitAsync(app, Users.Citizen, submission)).Code;

        var dossier = await DocumentApi.CheckedAsync(app, code, files.Length, seconds: 240);

        foreach (var (name, _, failure) in files.Where(f => f.Failure is not null))
            Assert.True(dossier.Documents.Single(d => d.FileName == name).Failure == failure, $"{name}: {dossier.Documents.Single(d => d.FileName == name).Failure}");
        Assert.All(dossier.Documents, d => Assert.Equal(DocumentStages.Recorded, d.Stage));
        var healthy = dossier.Documents.Single(d => d.FileName == "tot.pdf");
        Assert.Null(healthy.Failure);
        Assert.Contains("giấy phép xây dựng", (await DocumentApi.PageAsync(app, code, healthy.Id, 1, Users.Clerk)).Text);
        Assert.Equal(dossier.Documents.Count(d => d.Failure is not null), dossier.DocumentChecks.Failed);
        Assert.Contains(dossier.History, h => h.Comment.Contains("được bảo vệ bằng mật khẩu"));
        Assert.Contains(await DocumentApi.SearchAsync(app, "nguyen thi hoa", Users.Clerk), r => r.DossierCode == code);
    }

    [Fact]
    public async Task A_dossier_whose_only_document_fails_is_still_found_by_its_applicant()
    {
        await using var app = await StartAsync();
        var code = (await DossierApi.SubmitAsync(app, Users.Citizen, new Submission()
            .Dossier(Submission.DossierJson(name: "Đặng Văn Khoa", idNumber: "079085001234")).Document("hong.pdf", "%PDF-1.4\n%%EOF\n"u8.ToArray()))).Code;

        var dossier = await DocumentApi.CheckedAsync(app, code, 1);

        Assert.Equal("malformed", Assert.Single(dossier.Documents).Failure);
        Assert.Equal(code, Assert.Single(await DocumentApi.SearchAsync(app, "dang van khoa", Users.Clerk)).DossierCode);
        Assert.Equal(code, Assert.Single(await DocumentApi.SearchAsync(app, "079085001234", Users.Clerk)).DossierCode);
    }

    [Fact]
    public async Task Documents_of_another_dossier_or_unit_are_not_found_or_forbidden()
    {
        await using var app = await StartAsync();
        var mine = (await DossierApi.SubmitAsync(app, Users.Citizen)).Code;
        var theirs = await DossierApi.SubmitAsync(app, Users.Citizen);
        var dossier = await DocumentApi.CheckedAsync(app, theirs.Code, 1);
        var otherDocument = dossier.Documents[0].Id;

        using var crossed = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{mine}/documents/{otherDocument}", Users.Clerk));
        Assert.Equal(HttpStatusCode.NotFound, crossed.StatusCode);
        using var outsider = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{theirs.Code}/documents/{otherDocument}", Users.OtherUnitClerk));
        Assert.Equal(HttpStatusCode.Forbidden, outsider.StatusCode);
        using var stranger = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/dossiers/{theirs.Code}/uploads", Users.OtherCitizen,
            JsonContent.Create(new { fileName = "x.pdf", length = 10, sha256 = new string('a', 64) })));
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        using var citizenSearch = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/search?q=nguyen", Users.Citizen));
        Assert.Equal(HttpStatusCode.Forbidden, citizenSearch.StatusCode);
        using var emptySearch = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/search?q=%20a%20", Users.Clerk));
        Assert.Equal(HttpStatusCode.BadRequest, emptySearch.StatusCode);
    }

    [Fact]
    public async Task Steps_delivered_again_do_their_work_once()
    {
        await using var app = await StartAsync();
        var code = (await DossierApi.SubmitAsync(app, Users.Citizen, new Submission()
            .Dossier(Submission.DossierJson()).Document("don.pdf", Scans.TextPdf(["Đơn đề nghị"])))).Code;
        var before = await DocumentApi.CheckedAsync(app, code, 1);
        var document = Assert.Single(before.Documents);
        var dossierId = (await app.Tables.Documents.QueryAsync<Dossiers.DocumentEntity>(d => d.RowKey == document.Id).SingleAsync()).PartitionKey;

        // Every step's message again, twice over and at once, as a redelivery after a lost acknowledgement would bring it.
        var body = BinaryData.FromObjectAsJson(new Documents.Processing.DocumentStepMessage(dossierId, document.Id), JsonSerializerOptions.Web);
        var queues = new[] { Documents.Processing.DocumentQueues.Signatures, Documents.Processing.DocumentQueues.Text,
            Documents.Processing.DocumentQueues.Index, Documents.Processing.DocumentQueues.Outcome };
        await Task.WhenAll(queues.Concat(queues).Select(q => app.Transport.SendAsync(q,
            new Messaging.OutgoingMessage(Guid.NewGuid().ToString("N"), Documents.Processing.DocumentStepMessage.Subject, body), CancellationToken.None)));
        // Done when every step's queue is empty. A message in flight still counts (it is only invisible),
        // each step sends the next message before it completes its own, and messages only move forward,
        // so checking the queues in step order cannot miss one.
        await Eventually.GetAsync(async () =>
        {
            foreach (var queue in queues)
                if (await app.QueuedAsync(queue) > 0) return null;
            return "";
        }, "the repeated messages to be handled");

        var after = await DossierApi.GetAsync(app, code, Users.Clerk);
        Assert.Equal(before.Version, after!.Version);
        Assert.Single(after.History, h => h.Action == Documents.Processing.RecordOutcomeFunction.Action);
        Assert.Equal(1, after.DocumentChecks.Recorded);
    }

    [Fact]
    public async Task A_step_that_keeps_failing_is_dead_lettered_with_its_reason()
    {
        await using var app = await StartAsync();
        // A document row whose dossier was never written: indexing cannot find the dossier and must not invent one.
        await app.Tables.Documents.AddEntityAsync(new Dossiers.DocumentEntity
        {
            PartitionKey = "d0d0", RowKey = "e1e1", DossierCode = "000.20.30.H56-261122-9999", FileName = "x.pdf", ContentType = "application/pdf",
            Sha256 = "", BlobName = "d0d0/e1e1", UploadedAt = DateTimeOffset.UtcNow, Stage = DocumentStages.TextRead,
        });
        await app.Transport.SendAsync(Documents.Processing.DocumentQueues.Index, new Messaging.OutgoingMessage("m-1", Documents.Processing.DocumentStepMessage.Subject,
            BinaryData.FromObjectAsJson(new Documents.Processing.DocumentStepMessage("d0d0", "e1e1"), JsonSerializerOptions.Web)), CancellationToken.None);

        var letter = await Eventually.GetAsync(async () =>
            (await app.Transport.PeekDeadLettersAsync(Documents.Processing.DocumentQueues.Index, 10, CancellationToken.None)).SingleOrDefault(), "a dead letter", 60);

        Assert.Equal("m-1", letter.Message.MessageId);
        Assert.Contains("has no row yet", letter.Description);
    }

    [Theory]
    [InlineData("document:9", "a.pdf", 422, "unknown-component")]
    [InlineData("document:x", "a.pdf", 422, "unknown-component")]
    [InlineData("document", "chuong-trinh.exe", 415, "unsupported-document-type")]
    [InlineData("note", "a.pdf", 400, "unexpected-part")]
    public async Task Adding_a_bad_document_answers_a_problem_and_stores_nothing(string part, string fileName, int status, string problem)
    {
        await using var app = await StartAsync();
        var code = await WorkflowApi.SubmitRegisteredAsync(app);
        var before = await DossierApi.GetAsync(app, code, Users.Clerk);
        var bytes = fileName.EndsWith(".exe", StringComparison.Ordinal) ? "MZ\u0090 not a document"u8.ToArray() : Scans.TextPdf(["tài liệu"]);
        var submission = new Submission()
            .Document("good.pdf", Scans.TextPdf(["trước"]))
            .Part($"Content-Disposition: form-data; name=\"{part}\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream", () => new MemoryStream(bytes));

        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/dossiers/{code}/documents", Users.Clerk, submission.ToContent()));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.EndsWith(problem, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString());
        var after = await DossierApi.GetAsync(app, code, Users.Clerk);
        Assert.Equal((before!.Version, before.Documents.Count), (after!.Version, after.Documents.Count));
        var blobs = 0;
        await foreach (var _ in app.Documents.GetBlobsAsync()) blobs++;
        Assert.Equal(1, blobs);
    }

    private static async Task<List<AddedDocument>> AddAsync(TestApp app, string code, Auth.CurrentUser user, params (string Part, string FileName, byte[] Bytes)[] files)
    {
        var submission = new Submission();
        foreach (var (part, fileName, bytes) in files)
            submission.Part($"Content-Disposition: form-data; name=\"{part}\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream", () => new MemoryStream(bytes));
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/dossiers/{code}/documents", user, submission.ToContent()));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<List<AddedDocument>>(JsonSerializerOptions.Web))!;
    }

    private static async Task<JsonElement> RequestUploadAsync(TestApp app, string code, object body, HttpStatusCode expected)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/dossiers/{code}/uploads", Users.Citizen, JsonContent.Create(body)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static Task<HttpResponseMessage> ConfirmAsync(TestApp app, string code, string documentId) =>
        app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/dossiers/{code}/uploads/{documentId}/confirm", Users.Citizen));

    private static async Task<HttpResponseMessage> PutAsync(string url, byte[] bytes)
    {
        using var client = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes) };
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        return await client.SendAsync(request);
    }

    private static async Task<byte[]> EncryptedAsync(byte[] pdf)
    {
        var folder = Directory.CreateTempSubdirectory("motcua-qpdf-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, "in.pdf"), pdf);
            await Tools.RunAsync("qpdf", "--encrypt", "mat-khau-nguoi-dung", "mat-khau-chu", "256", "--", Path.Combine(folder, "in.pdf"), Path.Combine(folder, "out.pdf"));
            return await File.ReadAllBytesAsync(Path.Combine(folder, "out.pdf"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A page whose content stream is a few hundred kilobytes compressed and <paramref name="expandedBytes"/> expanded.</summary>
    private static byte[] DecompressionBomb(int expandedBytes)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var chunk = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0 0 m ", 10_000)));
            for (var written = 0; written < expandedBytes; written += chunk.Length) zlib.Write(chunk);
        }
        var stream = compressed.ToArray();
        return Scans.Assemble([
            "<< /Type /Catalog /Pages 2 0 R >>"u8.ToArray(), "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"u8.ToArray(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"u8.ToArray(),
            Scans.Stream($"<< /Length {stream.Length} /Filter /FlateDecode >>", stream)]);
    }
}

/// <summary>The same tests with the Service Bus transport against RabbitMQ over AMQP 1.0.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DocumentProcessingTestsOnServiceBus : DocumentProcessingTests
{
    protected override QueueTransportKind Transport => QueueTransportKind.ServiceBus;
}
