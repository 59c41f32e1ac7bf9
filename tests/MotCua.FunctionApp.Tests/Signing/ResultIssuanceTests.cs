using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using static MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi;

namespace MotCua.FunctionApp.Tests.Signing;

/// <summary>
/// A result from the specialist's draft to the citizen's download: signed on the chairman's phone
/// with the approval, sealed by the agency after the finish, and checked in public; judged by
/// MotCua's verifier and by poppler's pdfsig.
/// </summary>
public sealed class ResultIssuanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TestPki _pki = TestPki.Create(Now);
    private readonly string _folder = Directory.CreateTempSubdirectory("motcua-results-").FullName;
    private TestApp _app = default!;

    public async Task InitializeAsync()
    {
        var trust = Path.Combine(_folder, "trust");
        _pki.WriteTrustFolder(trust);
        var seal = _pki.IssueSigner("CN=UBND phường Nha Trang, O=UBND phường Nha Trang, C=VN", Now.AddYears(-1), Now.AddYears(2));
        var sealFile = Path.Combine(_folder, "seal.p12");
        await File.WriteAllBytesAsync(sealFile, seal.Export(X509ContentType.Pkcs12, "mật-khẩu"));
        _app = await TestApp.StartAsync(settings: new()
        {
            ["Signatures:TrustFolder"] = trust,
            ["Signing:Seal:Pkcs12Path"] = sealFile,
            ["Signing:Seal:Pkcs12Password"] = "mật-khẩu",
            ["Results:PublicCheckBaseUrl"] = "https://dichvucong.khanhhoa.example.vn/api/public/documents",
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_citizen_downloads_a_result_signed_by_the_chairman_and_sealed_by_the_agency()
    {
        using var phone = await CertifiedPhone.RegisterAsync(_app, _pki, Users.Chairman);
        var code = await ResultFlow.ReadyForResultAsync(_app);
        Assert.Equal(HttpStatusCode.OK, (await ResultFlow.AttachAsync(_app, code, Users.Specialist, ResultFlow.ResultPdf(code))).StatusCode);
        await DoAsync(_app, code, "submit-for-approval", Users.Specialist);

        var approved = await ResultFlow.ApproveAsync(_app, code, phone);
        Assert.Equal(HttpStatusCode.OK, approved.Status);
        // The step cannot be signed again: the dossier has left the approval step (and the PDF below carries one person's signature).
        using var again = await _app.Http.SendAsync(_app.Request(HttpMethod.Post, $"/api/dossiers/{code}/result/signing",
            Users.Chairman, JsonContent.Create(new { keyId = phone.KeyId })));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("person-signed", (await ResultFlow.ResultAsync(_app, code, Users.Chairman)).GetProperty("stage").GetString());
        await DoAsync(_app, code, "finish", Users.Clerk);

        var issued = await Eventually.GetAsync(async () =>
        {
            var result = await ResultFlow.ResultAsync(_app, code, Users.Citizen);
            return result.ValueKind == JsonValueKind.Object && result.GetProperty("stage").GetString() == "issued" ? result.GetRawText() : null;
        }, "the sealed result");
        using var download = await _app.Http.SendAsync(_app.Request(HttpMethod.Get, $"/api/dossiers/{code}/result/file", Users.Citizen));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        var pdf = await download.Content.ReadAsByteArrayAsync();

        var pdfsig = await Pdfsig.RunAsync(pdf, skipCertificateValidation: true);
        Assert.Equal(2, pdfsig.Signatures.Count);
        Assert.All(pdfsig.Signatures, s => Assert.Equal("Signature is Valid.", s.SignatureValidation));
        Assert.Equal("Lê Văn Hùng", pdfsig.Signatures[0].SignerCommonName);
        Assert.Equal("UBND phường Nha Trang", pdfsig.Signatures[1].SignerCommonName);
        Assert.True(pdfsig.Signatures[1].TotalDocumentSigned);
        // The seal's revision carries the validation material at hand (PAdES B-LT): its issuers and the trusted CRLs.
        Assert.Contains("/DSS", System.Text.Encoding.Latin1.GetString(pdf));

        var checkUrl = JsonDocument.Parse(issued).RootElement.GetProperty("checkUrl").GetString()!;
        Assert.StartsWith("https://dichvucong.khanhhoa.example.vn/api/public/documents/", checkUrl);
        var check = await PublicCheckApi.ByIdAsync(_app, checkUrl[checkUrl.LastIndexOf('/')..]);
        Assert.True(check.GetProperty("issuedHere").GetBoolean());
        Assert.Equal(("issued", code), (check.GetProperty("status").GetString(), check.GetProperty("dossierCode").GetString()));
        Assert.Equal([true, true], check.GetProperty("signatures").EnumerateArray().Select(s => s.GetProperty("valid").GetBoolean()));
        Assert.DoesNotContain("Nguyễn Thị Hoa", check.GetRawText());

        var sent = await PublicCheckApi.ForFileAsync(_app, pdf);
        Assert.True(sent.GetProperty("issuedHere").GetBoolean());
        Assert.Equal(code, sent.GetProperty("dossierCode").GetString());
        var tampered = await PublicCheckApi.ForFileAsync(_app, SignedPdfBuilder.FlipByte(pdf, SignedPdfBuilder.OffsetOf(pdf, "GIAY KHAI SINH")));
        Assert.False(tampered.GetProperty("issuedHere").GetBoolean());
        Assert.Contains(tampered.GetProperty("signatures").EnumerateArray(), s => !s.GetProperty("valid").GetBoolean());

        var inbox = await Eventually.GetAsync(async () =>
        {
            using var response = await _app.Http.SendAsync(_app.Request(HttpMethod.Get, "/api/me/notifications", Users.Citizen));
            var text = await response.Content.ReadAsStringAsync();
            return text.Contains($"Kết quả hồ sơ {code} đã được ký số", StringComparison.Ordinal) ? text : null;
        }, "the citizen's notification");
        Assert.Contains("Tải về trong ứng dụng", inbox);

        using var cancel = await _app.Http.SendAsync(_app.Request(HttpMethod.Post, $"/api/dossiers/{code}/result/cancel", Users.Chairman,
            JsonContent.Create(new { reason = "Sai ngày sinh của người được khai sinh" })));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var afterCancel = await PublicCheckApi.ByIdAsync(_app, checkUrl[checkUrl.LastIndexOf('/')..]);
        Assert.Equal("cancelled", afterCancel.GetProperty("status").GetString());
        Assert.Equal("Sai ngày sinh của người được khai sinh", afterCancel.GetProperty("cancelReason").GetString());
    }

    [Fact]
    public async Task A_phone_signature_over_another_digest_is_refused_and_nothing_is_signed()
    {
        using var phone = await CertifiedPhone.RegisterAsync(_app, _pki, Users.Chairman);
        var code = await ResultFlow.ReadyForResultAsync(_app);
        await ResultFlow.AttachAsync(_app, code, Users.Specialist, ResultFlow.ResultPdf(code));
        await DoAsync(_app, code, "submit-for-approval", Users.Specialist);
        var before = await GetAsync(_app, code, Users.Chairman);

        var refused = await ResultFlow.ApproveAsync(_app, code, phone, digest => SHA256.HashData(digest));

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("https://motcua.vn/problems/signature-refused", refused.Body.GetProperty("type").GetString());
        var after = await GetAsync(_app, code, Users.Chairman);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal("draft", (await ResultFlow.ResultAsync(_app, code, Users.Chairman)).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task An_approval_without_the_result_signature_is_refused_while_a_result_waits()
    {
        using var phone = await CertifiedPhone.RegisterAsync(_app, _pki, Users.Chairman);
        var code = await ResultFlow.ReadyForResultAsync(_app);
        await ResultFlow.AttachAsync(_app, code, Users.Specialist, ResultFlow.ResultPdf(code));
        await DoAsync(_app, code, "submit-for-approval", Users.Specialist);
        var current = await GetAsync(_app, code, Users.Chairman);

        var refused = await ActAsync(_app, code, "approve", Users.Chairman, new
        {
            comment = "Đồng ý",
            signature = phone.SignStatement(code, "approve", current.Body.GetProperty("version").GetInt32(), DateTimeOffset.UtcNow, "Đồng ý"),
        }, current.ETag);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Equal("https://motcua.vn/problems/result-signature-required", refused.Body.GetProperty("type").GetString());
        Assert.Equal(current.ETag, (await GetAsync(_app, code, Users.Chairman)).ETag);
    }

    [Fact]
    public async Task Bad_attachments_are_refused_and_nothing_is_written()
    {
        var code = await ResultFlow.ReadyForResultAsync(_app);
        var written = await _app.CountWrittenAsync();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await ResultFlow.AttachAsync(_app, code, Users.Specialist, "không phải PDF"u8.ToArray())).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ResultFlow.AttachAsync(_app, code, Users.Specialist, "%PDF-1.7 nhưng không đọc được"u8.ToArray())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ResultFlow.AttachAsync(_app, code, Users.Citizen, ResultFlow.ResultPdf(code))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ResultFlow.AttachAsync(_app, code, Users.Clerk, ResultFlow.ResultPdf(code))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ResultFlow.AttachAsync(_app, code, Users.Specialist, ResultFlow.ResultPdf(code), fileName: "ket-qua\u202E.pdf")).StatusCode);

        Assert.Equal(written, await _app.CountWrittenAsync());
    }

    [Fact]
    public async Task A_key_that_is_not_the_approvers_own_prepares_nothing()
    {
        var code = await ResultFlow.ReadyForResultAsync(_app);
        await ResultFlow.AttachAsync(_app, code, Users.Specialist, ResultFlow.ResultPdf(code));
        await DoAsync(_app, code, "submit-for-approval", Users.Specialist);
        var written = await _app.CountWrittenAsync();

        using var unregistered = await _app.Http.SendAsync(_app.Request(HttpMethod.Post, $"/api/dossiers/{code}/result/signing", Users.Chairman,
            JsonContent.Create(new { keyId = "0123456789abcdef0123456789abcdef" })));
        Assert.Equal(HttpStatusCode.Forbidden, unregistered.StatusCode);
        Assert.Contains("signature-refused", await unregistered.Content.ReadAsStringAsync());
        using var specialist = await _app.Http.SendAsync(_app.Request(HttpMethod.Post, $"/api/dossiers/{code}/result/signing", Users.Specialist,
            JsonContent.Create(new { keyId = "0123456789abcdef0123456789abcdef" })));
        Assert.Equal(HttpStatusCode.Forbidden, specialist.StatusCode);

        Assert.Equal(written, await _app.CountWrittenAsync());
    }

    [Fact]
    public async Task The_public_check_answers_anyone_with_a_problem_for_what_is_not_a_pdf()
    {
        using var text = await _app.Http.PostAsync("/api/public/documents/verification", new StringContent("xin chào"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        var disguised = new ByteArrayContent("không phải PDF"u8.ToArray());
        disguised.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var notPdf = await _app.Http.PostAsync("/api/public/documents/verification", disguised);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notPdf.StatusCode);
        using var unknown = await _app.Http.GetAsync("/api/public/documents/AAAAAAAAAAAAAAAAAAAAAA");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}

/// <summary>A chairman's phone whose P-256 key has a certificate from the test authority, registered with it.</summary>
public sealed class CertifiedPhone : IDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly ECDsa _key;

    private CertifiedPhone(X509Certificate2 certificate)
    {
        _certificate = certificate;
        _key = certificate.GetECDsaPrivateKey()!;
    }

    public string? KeyId { get; private set; }

    public static async Task<CertifiedPhone> RegisterAsync(TestApp app, TestPki pki, CurrentUser user)
    {
        var phone = new CertifiedPhone(pki.IssueSigner($"CN={user.Name}, O=UBND phường Nha Trang, C=VN", DateTimeOffset.UtcNow.AddDays(-1),
            DateTimeOffset.UtcNow.AddYears(1), TestKeyKind.EcdsaP256));
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Post, "/api/me/device-keys", user, JsonContent.Create(new
        {
            deviceName = "Điện thoại của chủ tịch",
            publicKey = Convert.ToBase64String(phone._key.ExportSubjectPublicKeyInfo()),
            certificate = Convert.ToBase64String(phone._certificate.RawData),
        })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        phone.KeyId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("keyId").GetString();
        return phone;
    }

    /// <summary>Signs the prepared digest as a key that signs digests does (Android Keystore's NONEwithECDSA), answering r||s.</summary>
    public byte[] SignDigest(byte[] digest) => _key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public object SignStatement(string code, string action, int version, DateTimeOffset signedAt, string comment)
    {
        var statement = "MOTCUA-APPROVAL-V1\n"
            + $"code:{code}\naction:{action}\nversion:{version}\n"
            + $"signed-at:{signedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z\n"
            + $"comment-sha256:{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(comment)))}";
        var value = _key.SignData(System.Text.Encoding.UTF8.GetBytes(statement), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new { keyId = KeyId, signedAt, value = Convert.ToBase64String(value) };
    }

    public void Dispose()
    {
        _key.Dispose();
        _certificate.Dispose();
    }
}
