using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Documents.Signatures;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.Signing;
using MotCua.Signing.Keys;

namespace MotCua.FunctionApp.Tests.Signing;

/// <summary>
/// The production signer against two independent judges: MotCua's verifier and poppler's pdfsig.
/// Sources come in both cross-reference forms (a table, and qpdf's object and xref streams).
/// </summary>
public sealed class PdfSignerTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TestPki _pki = TestPki.Create(Now);
    private readonly string _folder = Directory.CreateTempSubdirectory("motcua-signer-").FullName;
    private readonly string[] _text = ["UBND XA TAN PHU", "Giay chung nhan dang ky ho kinh doanh", "Ho so so 000.20.30.H56"];

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    public static TheoryData<bool> CrossReferenceForms => new() { false, true };

    [Theory]
    [MemberData(nameof(CrossReferenceForms))]
    public async Task A_seal_signature_is_valid_for_both_verifiers_and_covers_the_whole_file(bool xrefStreams)
    {
        var source = await SourceAsync(xrefStreams);
        var seal = Seal();

        var signed = await SignAsync(source, seal, timestamps: null);

        var ours = await VerifyAsync(signed);
        Assert.Equal(SignatureVerdict.Valid, ours.Verdict);
        var signature = Assert.Single(ours.Signatures);
        Assert.Equal("ETSI.CAdES.detached", signature.SubFilter);
        Assert.Contains("UBND xã Tân Phú", signature.Signer);
        Assert.True(signature.CoversWholeFile);
        var pdfsig = await Pdfsig.RunAsync(signed, skipCertificateValidation: true);
        var theirs = Assert.Single(pdfsig.Signatures);
        Assert.Equal("Signature is Valid.", theirs.SignatureValidation);
        Assert.True(theirs.TotalDocumentSigned);
        Assert.Equal("ETSI.CAdES.detached", theirs.SignatureType);
        Assert.Equal(source, signed[..source.Length]);
    }

    [Theory]
    [MemberData(nameof(CrossReferenceForms))]
    public async Task A_person_signs_on_a_phone_then_the_agency_seals_and_both_signatures_stay_valid(bool xrefStreams)
    {
        var source = await SourceAsync(xrefStreams);
        var phone = _pki.IssueSigner("CN=Trần Thị Bình, O=UBND xã Tân Phú, C=VN", Now.AddDays(-1), Now.AddYears(1), TestKeyKind.EcdsaP256);

        // The phone sees only the digest and answers r||s, as Web Crypto does.
        var prepared = await PdfSigner.PrepareAsync(new MemoryStream(source), Request(phone) with { SignerName = "Trần Thị Bình", Reason = "Phê duyệt kết quả" }, CancellationToken.None);
        using var phoneKey = phone.GetECDsaPrivateKey()!;
        var phoneSignature = phoneKey.SignHash(prepared.DigestToSign, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var personSigned = new MemoryStream();
        await PdfSigner.CompleteAsync(new MemoryStream(source), prepared, phoneSignature, timestamps: null, personSigned, CancellationToken.None);
        var both = await SignAsync(personSigned.ToArray(), Seal(), timestamps: null);

        var ours = await VerifyAsync(both);
        Assert.Equal(SignatureVerdict.Valid, ours.Verdict);
        Assert.Collection(ours.Signatures,
            person => { Assert.Contains("Trần Thị Bình", person.Signer); Assert.False(person.CoversWholeFile); },
            agency => { Assert.Contains("UBND xã Tân Phú", agency.Signer); Assert.True(agency.CoversWholeFile); });
        var pdfsig = await Pdfsig.RunAsync(both, skipCertificateValidation: true);
        Assert.Equal(2, pdfsig.Signatures.Count);
        Assert.All(pdfsig.Signatures, s => Assert.Equal("Signature is Valid.", s.SignatureValidation));
        Assert.Equal([false, true], pdfsig.Signatures.Select(s => s.TotalDocumentSigned ?? false));
        Assert.Equal("Trần Thị Bình", pdfsig.Signatures[0].SignerCommonName);
    }

    [Fact]
    public async Task A_time_stamped_signature_reports_the_authority_time()
    {
        var authority = new InProcessTimestamps(new TimestampAuthority(_pki.Tsa, _pki.Chain), Now.AddSeconds(-3));

        var signed = await SignAsync(await SourceAsync(xrefStreams: false), Seal(), authority);

        var signature = Assert.Single((await VerifyAsync(signed)).Signatures);
        Assert.Equal(SignatureVerdict.Valid, (await VerifyAsync(signed)).Verdict);
        Assert.NotNull(signature.TimestampTime);
        Assert.Equal(Now.AddSeconds(-3).ToUnixTimeSeconds(), signature.TimestampTime!.Value.ToUnixTimeSeconds());
        Assert.Equal("Signature is Valid.", Assert.Single((await Pdfsig.RunAsync(signed, skipCertificateValidation: true)).Signatures).SignatureValidation);
    }

    [Fact]
    public async Task Revocation_material_lands_in_the_document_security_store()
    {
        var crl = _pki.IssueCrl(_pki.Intermediate, Array.Empty<(X509Certificate2 Certificate, DateTimeOffset RevokedAt)>(), Now.AddHours(-1), Now.AddDays(7));
        var source = await SourceAsync(xrefStreams: false);
        var seal = Seal();
        var signed = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(source), new CertificateHashSigner(seal, [_pki.Intermediate]),
            Request(seal) with { Revocation = new RevocationMaterial([_pki.Intermediate.RawData, _pki.Root.RawData], [crl], []) },
            timestamps: null, signed, CancellationToken.None);

        // qpdf reads the file on its own: the catalog's /DSS lists the CRL, byte for byte, and both certificates.
        var path = Path.Combine(_folder, "dss.pdf");
        await File.WriteAllBytesAsync(path, signed.ToArray());
        using var json = System.Text.Json.JsonDocument.Parse(await Tools.RunAsync("qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=inline", "--decode-level=none", path));
        var objects = json.RootElement.GetProperty("qpdf")[1];
        System.Text.Json.JsonElement Value(string reference) => objects.GetProperty($"obj:{reference}").GetProperty("value");
        System.Text.Json.JsonElement Stream(string reference) => objects.GetProperty($"obj:{reference}").GetProperty("stream");
        var catalog = Value(objects.GetProperty("trailer").GetProperty("value").GetProperty("/Root").GetString()!);
        var store = Value(catalog.GetProperty("/DSS").GetString()!);
        var storedCrl = Stream(Assert.Single(store.GetProperty("/CRLs").EnumerateArray()).GetString()!);
        Assert.Equal(crl, Convert.FromBase64String(storedCrl.GetProperty("data").GetString()!));
        Assert.Equal(2, store.GetProperty("/Certs").GetArrayLength());
        Assert.Equal(SignatureVerdict.Valid, (await VerifyAsync(signed.ToArray())).Verdict);
    }

    [Fact]
    public async Task A_byte_changed_after_signing_makes_both_verifiers_refuse()
    {
        var signed = await SignAsync(await SourceAsync(xrefStreams: false), Seal(), timestamps: null);
        var tampered = SignedPdfBuilder.FlipByte(signed, SignedPdfBuilder.OffsetOf(signed, "Giay chung nhan"));

        Assert.NotEqual(SignatureVerdict.Valid, (await VerifyAsync(tampered)).Verdict);
        var theirs = Assert.Single((await Pdfsig.RunAsync(tampered, skipCertificateValidation: true)).Signatures);
        Assert.NotEqual("Signature is Valid.", theirs.SignatureValidation);
    }

    [Fact]
    public async Task A_signature_over_another_digest_is_refused()
    {
        var source = await SourceAsync(xrefStreams: false);
        var phone = _pki.IssueSigner("CN=Trần Thị Bình, C=VN", Now.AddDays(-1), Now.AddYears(1), TestKeyKind.EcdsaP256);
        var prepared = await PdfSigner.PrepareAsync(new MemoryStream(source), Request(phone), CancellationToken.None);
        using var key = phone.GetECDsaPrivateKey()!;
        var wrong = key.SignHash(SHA256.HashData("khác"u8), DSASignatureFormat.Rfc3279DerSequence);

        var refused = await Assert.ThrowsAsync<PdfSigningException>(() =>
            PdfSigner.CompleteAsync(new MemoryStream(source), prepared, wrong, null, new MemoryStream(), CancellationToken.None));
        Assert.Equal("signature-mismatch", refused.Reason);
    }

    [Fact]
    public async Task A_document_changed_between_prepare_and_complete_is_refused()
    {
        var source = await SourceAsync(xrefStreams: false);
        var phone = _pki.IssueSigner("CN=Trần Thị Bình, C=VN", Now.AddDays(-1), Now.AddYears(1), TestKeyKind.EcdsaP256);
        var prepared = await PdfSigner.PrepareAsync(new MemoryStream(source), Request(phone), CancellationToken.None);
        using var key = phone.GetECDsaPrivateKey()!;
        var signature = key.SignHash(prepared.DigestToSign, DSASignatureFormat.Rfc3279DerSequence);
        var changed = SignedPdfBuilder.FlipByte(source, SignedPdfBuilder.OffsetOf(source, "Giay chung nhan"));

        var refused = await Assert.ThrowsAsync<PdfSigningException>(() =>
            PdfSigner.CompleteAsync(new MemoryStream(changed), prepared, signature, null, new MemoryStream(), CancellationToken.None));
        Assert.Equal("document-changed", refused.Reason);
    }

    [Fact]
    public async Task A_file_that_is_not_a_pdf_is_refused_before_anything_is_signed()
    {
        var refused = await Assert.ThrowsAsync<PdfSigningException>(() =>
            PdfSigner.PrepareAsync(new MemoryStream("không phải PDF"u8.ToArray()), Request(Seal()), CancellationToken.None));
        Assert.Equal("unreadable-pdf", refused.Reason);
    }

    private X509Certificate2 Seal() =>
        _pki.IssueSigner("CN=UBND xã Tân Phú, O=UBND xã Tân Phú, C=VN", Now.AddYears(-1), Now.AddYears(2), TestKeyKind.Rsa2048);

    private PdfSignatureRequest Request(X509Certificate2 certificate) => new()
    {
        Certificate = certificate,
        Chain = [_pki.Intermediate],
        SigningTime = Now,
        Location = "Xã Tân Phú",
    };

    private async Task<byte[]> SignAsync(byte[] source, X509Certificate2 certificate, ITimestampAuthority? timestamps)
    {
        var output = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(source), new CertificateHashSigner(certificate, [_pki.Intermediate]), Request(certificate), timestamps, output, CancellationToken.None);
        return output.ToArray();
    }

    private async Task<byte[]> SourceAsync(bool xrefStreams)
    {
        var plain = SignedPdfBuilder.CreatePdf(_text, pages: 2);
        if (!xrefStreams) return plain;
        var input = Path.Combine(_folder, $"in-{Guid.NewGuid():N}.pdf");
        var output = Path.Combine(_folder, $"out-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(input, plain);
        await Tools.RunAsync("qpdf", "--object-streams=generate", "--compress-streams=y", input, output);
        var converted = await File.ReadAllBytesAsync(output);
        Assert.DoesNotContain("\nxref\n", System.Text.Encoding.Latin1.GetString(converted));
        return converted;
    }

    private async Task<DocumentSignatures> VerifyAsync(byte[] pdf)
    {
        var trust = Path.Combine(_folder, "trust");
        _pki.WriteTrustFolder(trust);
        var options = Options.Create(new SignatureOptions { TrustFolder = trust });
        var store = new TrustStore(options, new BlobServiceClient("UseDevelopmentStorage=true"), TimeProvider.System, NullLogger<TrustStore>.Instance);
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        return await new DocumentSignatureVerifier(store, TimeProvider.System, options).VerifyPdfAsync(path, CancellationToken.None);
    }

    /// <summary>The test authority behind the signer's interface, for signer-level tests that need a token only.</summary>
    private sealed class InProcessTimestamps(TimestampAuthority authority, DateTimeOffset time) : ITimestampAuthority
    {
        public Task<byte[]> TimestampAsync(byte[] sha256, CancellationToken cancellationToken) => Task.FromResult(authority.StampHash(sha256, time));
    }
}
