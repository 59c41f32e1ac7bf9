using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Documents.Signatures;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;

namespace MotCua.FunctionApp.Tests;

/// <summary>
/// Every verdict on files signed at run time by a test authority; where poppler's pdfsig can judge
/// the same file (the signature itself and its coverage), its judgement must agree.
/// </summary>
public sealed class SignatureVerificationTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TestPki _pki = TestPki.Create(Now);
    private readonly string _folder = Directory.CreateTempSubdirectory("motcua-signatures-").FullName;
    private readonly string[] _text = ["UBND PHUONG DIEN BIEN", "To khai dang ky ho kinh doanh", "Ho so so 000.20.30.H56"];

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private DocumentSignatureVerifier Verifier()
    {
        var trust = Path.Combine(_folder, "trust");
        _pki.WriteTrustFolder(trust);
        var options = Options.Create(new SignatureOptions { TrustFolder = trust });
        var store = new TrustStore(options, new BlobServiceClient("UseDevelopmentStorage=true"), TimeProvider.System, NullLogger<TrustStore>.Instance);
        return new DocumentSignatureVerifier(store, TimeProvider.System, options);
    }

    private string Write(byte[] bytes, string name = "signed.pdf")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private System.Security.Cryptography.X509Certificates.X509Certificate2 Signer(string name = "CN=Nguyễn Văn An, O=UBND Phường Điện Biên, C=VN", TestKeyKind key = TestKeyKind.Rsa2048) =>
        _pki.IssueSigner(name, Now.AddYears(-1), Now.AddYears(1), key);

    [Theory]
    [InlineData(PdfSubFilter.AdbePkcs7Detached, TestKeyKind.Rsa2048, "adbe.pkcs7.detached")]
    [InlineData(PdfSubFilter.EtsiCadesDetached, TestKeyKind.EcdsaP256, "ETSI.CAdES.detached")]
    public async Task A_signed_pdf_is_valid_and_pdfsig_agrees(PdfSubFilter subFilter, TestKeyKind key, string subFilterName)
    {
        var path = Write(SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), Signer(key: key), new PdfSignatureOptions { SubFilter = subFilter, SigningTime = Now }));

        var result = await Verifier().VerifyPdfAsync(path, CancellationToken.None);

        Assert.Equal(SignatureVerdict.Valid, result.Verdict);
        var signature = Assert.Single(result.Signatures);
        Assert.Equal(subFilterName, signature.SubFilter);
        Assert.Contains("Nguyễn Văn An", signature.Signer);
        Assert.Contains("Intermediate", signature.Issuer);
        Assert.True(signature.CoversWholeFile);
        Assert.NotNull(signature.SerialNumber);
        var pdfsig = Assert.Single((await Pdfsig.RunAsync(path)).Signatures);
        Assert.Equal("Signature is Valid.", pdfsig.SignatureValidation);
        Assert.True(pdfsig.TotalDocumentSigned);
    }

    [Fact]
    public async Task Two_signatures_are_both_valid_and_only_the_last_covers_the_file()
    {
        var once = SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), Signer(), new PdfSignatureOptions { SigningTime = Now });
        var path = Write(SignedPdfBuilder.Sign(once, Signer("CN=Trần Thị Bình, O=UBND Phường Điện Biên, C=VN"),
            new PdfSignatureOptions { SubFilter = PdfSubFilter.EtsiCadesDetached, SigningTime = Now }));

        var result = await Verifier().VerifyPdfAsync(path, CancellationToken.None);

        Assert.Equal(SignatureVerdict.Valid, result.Verdict);
        Assert.Equal(2, result.Signatures.Count);
        Assert.All(result.Signatures, s => Assert.Equal("valid", s.Verdict));
        Assert.Equal([false, true], result.Signatures.Select(s => s.CoversWholeFile));
        var pdfsig = (await Pdfsig.RunAsync(path)).Signatures;
        Assert.Equal(result.Signatures.Select(s => s.CoversWholeFile), pdfsig.Select(s => s.TotalDocumentSigned ?? false));
    }

    [Fact]
    public async Task Content_appended_after_signing_is_reported_apart_from_invalid()
    {
        var signed = SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), Signer(), new PdfSignatureOptions { SigningTime = Now });
        var path = Write(SignedPdfBuilder.AppendUnsignedChange(signed, addAnnotation: true));

        var result = await Verifier().VerifyPdfAsync(path, CancellationToken.None);

        Assert.Equal(SignatureVerdict.ModifiedAfterSigning, result.Verdict);
        Assert.False(Assert.Single(result.Signatures).CoversWholeFile);
        var pdfsig = Assert.Single((await Pdfsig.RunAsync(path)).Signatures);
        Assert.Equal("Signature is Valid.", pdfsig.SignatureValidation);
        Assert.False(pdfsig.TotalDocumentSigned);
    }

    [Fact]
    public async Task A_changed_byte_inside_the_signed_range_is_invalid_and_pdfsig_sees_the_digest_mismatch()
    {
        var signed = SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), Signer(), new PdfSignatureOptions { SigningTime = Now });
        var path = Write(SignedPdfBuilder.FlipByte(signed, SignedPdfBuilder.OffsetOf(signed, "Ho so so")));

        var result = await Verifier().VerifyPdfAsync(path, CancellationToken.None);

        Assert.Equal(SignatureVerdict.Invalid, result.Verdict);
        Assert.Contains("digest", Assert.Single(result.Signatures).Reason);
        Assert.Equal("Digest Mismatch.", Assert.Single((await Pdfsig.RunAsync(path)).Signatures).SignatureValidation);
    }

    [Fact]
    public async Task A_certificate_from_an_unknown_authority_is_an_untrusted_chain()
    {
        var rogue = _pki.IssueSigner("CN=Kẻ Giả Mạo, C=VN", Now.AddYears(-1), Now.AddYears(1), issuer: _pki.RogueRoot);
        var path = Write(SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), rogue, new PdfSignatureOptions { SigningTime = Now }));

        var result = await Verifier().VerifyPdfAsync(path, CancellationToken.None);

        Assert.Equal(SignatureVerdict.UntrustedChain, result.Verdict);
        Assert.Equal("Signature is Valid.", Assert.Single((await Pdfsig.RunAsync(path)).Signatures).SignatureValidation);
    }

    [Theory]
    [InlineData(-3, -2, SignatureVerdict.Expired)]
    [InlineData(1, 2, SignatureVerdict.NotYetValid)]
    public async Task A_certificate_outside_its_validity_at_signing_time_is_named_as_such(int fromYears, int toYears, SignatureVerdict expected)
    {
        var signer = _pki.IssueSigner("CN=Lê Văn Cường, C=VN", Now.AddYears(fromYears), Now.AddYears(toYears));
        var path = Write(SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), signer, new PdfSignatureOptions { SigningTime = Now }));

        var result = await Verifier().VerifyPdfAsync(path, CancellationToken.None);

        Assert.Equal(expected, result.Verdict);
        Assert.Equal("Certificate has Expired", Assert.Single((await Pdfsig.RunAsync(path)).Signatures).CertificateValidation);
    }

    [Fact]
    public async Task A_signing_time_the_signer_claims_is_not_trusted_to_revive_an_expired_certificate()
    {
        var signer = _pki.IssueSigner("CN=Lê Văn Cường, C=VN", Now.AddYears(-3), Now.AddYears(-1));
        var backdated = Now.AddYears(-2);
        var path = Write(SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), signer,
            new PdfSignatureOptions { SigningTime = backdated, IncludeSigningTimeAttribute = true }));

        var result = await Verifier().VerifyPdfAsync(path, CancellationToken.None);

        Assert.Equal(SignatureVerdict.Expired, result.Verdict);
        var report = Assert.Single(result.Signatures);
        Assert.True((report.SigningTime!.Value - backdated).Duration() < TimeSpan.FromSeconds(1), "the claim is still reported");
    }

    [Fact]
    public async Task Every_corruption_of_a_signature_gives_a_verdict_and_never_an_exception()
    {
        var content = SignedPdfBuilder.CreatePdf(_text);
        var documentPath = Write(content, "to-khai.pdf");
        var good = DetachedSignature.CreateDetached(content, Signer(), new CmsSignatureOptions
        {
            SigningTime = Now, Timestamp = new TimestampAuthority(_pki.Tsa, _pki.Chain), TimestampTime = Now,
        });
        var verifier = Verifier();
        var random = new Random(20261122);
        var verdicts = new HashSet<SignatureVerdict>();
        for (var i = 0; i < 300; i++)
        {
            var bad = (byte[])good.Clone();
            bad[random.Next(bad.Length)] ^= (byte)(1 << random.Next(8));
            var result = await verifier.VerifyDetachedAsync(Write(bad, "bad.p7s"), documentPath, CancellationToken.None);
            verdicts.Add(result.Verdict);
        }
        // Most flips break the structure or the signature; some land where nothing is checked.
        Assert.Contains(SignatureVerdict.Malformed, verdicts);
        Assert.Contains(SignatureVerdict.Invalid, verdicts);
    }

    [Fact]
    public async Task A_file_stuffed_with_signature_dictionaries_is_refused_as_malformed()
    {
        var stuffed = new List<byte>(SignedPdfBuilder.CreatePdf(_text));
        for (var i = 0; i < 1000; i++) stuffed.AddRange(System.Text.Encoding.ASCII.GetBytes($"<< /Type /Sig /ByteRange [0 {i + 1} 3000 3] >>\n"));

        var result = await Verifier().VerifyPdfAsync(Write([.. stuffed], "stuffed.pdf"), CancellationToken.None);

        Assert.Equal(SignatureVerdict.Malformed, result.Verdict);
        Assert.Empty(result.Signatures);
        Assert.Contains("more than", result.Reason);
    }

    [Fact]
    public async Task A_trusted_timestamp_fixes_the_signing_time_so_a_since_expired_certificate_stays_valid()
    {
        var signer = _pki.IssueSigner("CN=Phạm Thị Dung, C=VN", Now.AddYears(-3), Now.AddYears(-1));
        var stampedAt = Now.AddYears(-2);
        var stamped = Write(SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), signer, new PdfSignatureOptions
        {
            SubFilter = PdfSubFilter.EtsiCadesDetached,
            SigningTime = Now,
            Timestamp = new TimestampAuthority(_pki.Tsa, _pki.Chain),
            TimestampTime = stampedAt,
        }), "stamped.pdf");
        var unstamped = Write(SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), signer,
            new PdfSignatureOptions { SigningTime = Now, IncludeSigningTimeAttribute = true }), "unstamped.pdf");

        var verifier = Verifier();
        var withStamp = await verifier.VerifyPdfAsync(stamped, CancellationToken.None);
        var withoutStamp = await verifier.VerifyPdfAsync(unstamped, CancellationToken.None);

        Assert.Equal(SignatureVerdict.Valid, withStamp.Verdict);
        var report = Assert.Single(withStamp.Signatures);
        Assert.NotNull(report.TimestampTime);
        Assert.True((report.TimestampTime!.Value - stampedAt).Duration() < TimeSpan.FromSeconds(1));
        Assert.Equal(SignatureVerdict.Expired, withoutStamp.Verdict);
    }

    [Fact]
    public async Task A_valid_verdict_that_rests_on_a_timestamp_says_so_and_since_when_the_certificate_expired()
    {
        var expiredSigner = _pki.IssueSigner("CN=Phạm Thị Dung, C=VN", Now.AddYears(-3), Now.AddYears(-1));
        PdfSignatureOptions Stamped(DateTimeOffset at) => new()
        {
            SubFilter = PdfSubFilter.EtsiCadesDetached, SigningTime = at, Timestamp = new TimestampAuthority(_pki.Tsa, _pki.Chain), TimestampTime = at,
        };
        var verifier = Verifier();

        var old = await verifier.VerifyPdfAsync(Write(SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), expiredSigner, Stamped(Now.AddYears(-2))), "old.pdf"), CancellationToken.None);
        var live = await verifier.VerifyPdfAsync(Write(SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), Signer(), Stamped(Now)), "live.pdf"), CancellationToken.None);

        var oldReport = Assert.Single(old.Signatures);
        Assert.Equal("valid", oldReport.Verdict);
        Assert.True(oldReport.ValidByTimestamp);
        Assert.True((oldReport.CertificateExpiredSince!.Value - Now.AddYears(-1)).Duration() < TimeSpan.FromSeconds(1), $"{oldReport.CertificateExpiredSince}");
        var liveReport = Assert.Single(live.Signatures);
        Assert.Equal("valid", liveReport.Verdict);
        Assert.False(liveReport.ValidByTimestamp);
        Assert.Null(liveReport.CertificateExpiredSince);
    }

    [Fact]
    public async Task A_pades_signature_reports_the_time_its_dictionary_claims()
    {
        var claimed = new DateTimeOffset(Now.Year, Now.Month, Now.Day, Now.Hour, Now.Minute, Now.Second, TimeSpan.FromHours(7));
        // PAdES forbids the CMS signingTime attribute: the claim is the dictionary's /M alone.
        var path = Write(SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), Signer(),
            new PdfSignatureOptions { SubFilter = PdfSubFilter.EtsiCadesDetached, SigningTime = claimed, IncludeSigningTimeAttribute = false }));

        var result = await Verifier().VerifyPdfAsync(path, CancellationToken.None);

        Assert.Equal(SignatureVerdict.Valid, result.Verdict);
        Assert.Equal(claimed, Assert.Single(result.Signatures).SigningTime);
        Assert.Null(result.Signatures[0].TimestampTime);
    }

    [Fact]
    public async Task A_truncated_signed_pdf_is_malformed_without_a_signature_invented()
    {
        var signed = SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), Signer(), new PdfSignatureOptions { SigningTime = Now });
        var path = Write(signed[..(signed.Length - 200)], "truncated.pdf");

        var result = await Verifier().VerifyPdfAsync(path, CancellationToken.None);

        Assert.Equal(SignatureVerdict.Malformed, result.Verdict);
        Assert.Empty(result.Signatures);
        Assert.Contains("truncated", result.Reason);
    }

    [Fact]
    public async Task A_revoked_certificate_is_refused_unless_a_timestamp_proves_the_signature_came_first()
    {
        var signer = Signer("CN=Hoàng Văn Em, C=VN");
        _pki.IssueCrl(_pki.Intermediate, [(signer, Now.AddDays(-10))], Now.AddDays(-1), Now.AddDays(7));
        var plain = Write(SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), signer, new PdfSignatureOptions { SigningTime = Now.AddDays(-20) }), "plain.pdf");
        var stamped = Write(SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), signer, new PdfSignatureOptions
        {
            SubFilter = PdfSubFilter.EtsiCadesDetached,
            SigningTime = Now.AddDays(-20),
            Timestamp = new TimestampAuthority(_pki.Tsa, _pki.Chain),
            TimestampTime = Now.AddDays(-20),
        }), "stamped.pdf");

        var verifier = Verifier();

        // Without a timestamp the claimed signing time could be backdated: revocation is judged now.
        Assert.Equal(SignatureVerdict.Revoked, (await verifier.VerifyPdfAsync(plain, CancellationToken.None)).Verdict);
        Assert.Equal(SignatureVerdict.Valid, (await verifier.VerifyPdfAsync(stamped, CancellationToken.None)).Verdict);
    }

    [Fact]
    public async Task An_unsigned_pdf_is_unsigned_and_garbage_in_a_signature_is_malformed()
    {
        var verifier = Verifier();
        Assert.Equal(SignatureVerdict.Unsigned, (await verifier.VerifyPdfAsync(Write(SignedPdfBuilder.CreatePdf(_text), "plain.pdf"), CancellationToken.None)).Verdict);

        var signed = SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(_text), Signer(), new PdfSignatureOptions { SigningTime = Now });
        var contents = SignedPdfBuilder.OffsetOf(signed, "/Contents <") + "/Contents <".Length;
        "3003020105"u8.CopyTo(signed.AsSpan(contents));
        var result = await verifier.VerifyPdfAsync(Write(signed, "garbage.pdf"), CancellationToken.None);
        Assert.Equal(SignatureVerdict.Malformed, result.Verdict);
    }

    [Fact]
    public async Task Detached_and_enveloping_p7s_files_are_verified_against_their_content()
    {
        var content = SignedPdfBuilder.CreatePdf(_text);
        var documentPath = Write(content, "to-khai.pdf");
        var signer = Signer();
        var detached = Write(DetachedSignature.CreateDetached(content, signer, new CmsSignatureOptions { SigningTime = Now }), "to-khai.pdf.p7s");
        var enveloping = Write(DetachedSignature.CreateEnveloping(content, signer, new CmsSignatureOptions { SigningTime = Now }), "envelope.p7s");
        var other = Write(SignedPdfBuilder.CreatePdf(["another document"]), "other.pdf");
        var verifier = Verifier();

        Assert.Equal(SignatureVerdict.Valid, (await verifier.VerifyDetachedAsync(detached, documentPath, CancellationToken.None)).Verdict);
        Assert.Equal(SignatureVerdict.Valid, (await verifier.VerifyDetachedAsync(enveloping, null, CancellationToken.None)).Verdict);
        Assert.Equal(SignatureVerdict.Invalid, (await verifier.VerifyDetachedAsync(detached, other, CancellationToken.None)).Verdict);
        var withoutContent = await verifier.VerifyDetachedAsync(detached, null, CancellationToken.None);
        Assert.Equal(SignatureVerdict.Malformed, withoutContent.Verdict);
        Assert.Contains("signed content was not provided", withoutContent.Reason);
        Assert.Equal(SignatureVerdict.Malformed, (await verifier.VerifyDetachedAsync(Write("not a signature"u8.ToArray(), "junk.p7s"), documentPath, CancellationToken.None)).Verdict);
    }
}
