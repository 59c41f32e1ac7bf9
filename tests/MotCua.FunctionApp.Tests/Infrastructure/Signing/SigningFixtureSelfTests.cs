using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Xunit.Abstractions;

namespace MotCua.FunctionApp.Tests.Infrastructure.Signing;

/// <summary>
/// The signing fixtures checked by independent implementations (poppler/NSS, .NET's RFC 3161 decoder, OpenSSL,
/// BouncyCastle), so a failing verifier test points at the verifier and not at the fixture.
/// </summary>
public sealed class SigningFixtureSelfTests(ITestOutputHelper output) : IDisposable
{
    private const string Citizen = "CN=Nguyễn Văn An, O=UBND Phường Điện Biên, C=VN";
    private static readonly string[] Lines = ["UBND Phuong Dien Bien", "Ho so so 2025-000123", "Noi dung da ky"];
    private readonly TestPki _pki = TestPki.Create();
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task Rsa_pkcs7_signature_is_valid_and_covers_the_whole_file()
    {
        var signer = _pki.IssueSigner(Citizen, _now.AddDays(-1), _now.AddYears(1));
        var pdf = SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(Lines), signer, new() { ExtraCertificates = _pki.Chain });

        var signature = Assert.Single((await Check(pdf)).Signatures);
        Assert.Equal("Signature is Valid.", signature.SignatureValidation);
        Assert.True(signature.TotalDocumentSigned);
        Assert.Equal("adbe.pkcs7.detached", signature.SignatureType);
        Assert.Equal("Nguyễn Văn An", signature.SignerCommonName);

        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        Assert.True(document.TryGetForm(out var form));
        Assert.Equal("Signature1", Assert.Single(form.Fields).Information.PartialName);
        Assert.Contains("Ho so so 2025-000123", document.GetPage(1).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ecdsa_cades_signature_is_valid()
    {
        var signer = _pki.IssueSigner(Citizen, _now.AddDays(-1), _now.AddYears(1), TestKeyKind.EcdsaP256);
        var pdf = SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(Lines), signer,
            new() { SubFilter = PdfSubFilter.EtsiCadesDetached, ExtraCertificates = _pki.Chain });

        var signature = Assert.Single((await Check(pdf)).Signatures);
        Assert.Equal("Signature is Valid.", signature.SignatureValidation);
        Assert.True(signature.TotalDocumentSigned);
        Assert.Equal("ETSI.CAdES.detached", signature.SignatureType);
    }

    [Fact]
    public async Task Second_signature_leaves_the_first_covering_only_its_revision()
    {
        var first = _pki.IssueSigner(Citizen, _now.AddDays(-1), _now.AddYears(1));
        var second = _pki.IssueSigner("CN=Trần Thị Bình, O=UBND Phường Điện Biên, C=VN", _now.AddDays(-1), _now.AddYears(1), TestKeyKind.EcdsaP256);
        var pdf = SignedPdfBuilder.CreatePdf(Lines, pages: 3, paddingBytes: 200_000);
        pdf = SignedPdfBuilder.Sign(pdf, first, new() { ExtraCertificates = _pki.Chain });
        pdf = SignedPdfBuilder.Sign(pdf, second, new() { SubFilter = PdfSubFilter.EtsiCadesDetached, ExtraCertificates = _pki.Chain });

        var signatures = (await Check(pdf)).Signatures;
        Assert.Equal(2, signatures.Count);
        Assert.All(signatures, s => Assert.Equal("Signature is Valid.", s.SignatureValidation));
        Assert.False(signatures[0].TotalDocumentSigned);
        Assert.True(signatures[1].TotalDocumentSigned);
        Assert.Equal("Trần Thị Bình", signatures[1].SignerCommonName);
    }

    [Fact]
    public async Task Unsigned_change_after_signing_keeps_the_signature_valid_but_partial()
    {
        var signer = _pki.IssueSigner(Citizen, _now.AddDays(-1), _now.AddYears(1));
        var pdf = SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(Lines), signer, new() { ExtraCertificates = _pki.Chain });
        pdf = SignedPdfBuilder.AppendUnsignedChange(pdf, addAnnotation: true);

        var signature = Assert.Single((await Check(pdf)).Signatures);
        Assert.Equal("Signature is Valid.", signature.SignatureValidation);
        Assert.False(signature.TotalDocumentSigned);
    }

    [Fact]
    public async Task Expired_and_rogue_signers_still_sign()
    {
        var signedAt = _now.AddDays(-10);
        var expired = _pki.IssueSigner(Citizen, _now.AddYears(-3), _now.AddYears(-1));
        var notYetValid = _pki.IssueSigner(Citizen, _now.AddYears(1), _now.AddYears(2), TestKeyKind.EcdsaP256);
        var rogue = _pki.IssueSigner("CN=Kẻ Giả Mạo, C=VN", _now.AddDays(-1), _now.AddYears(1), issuer: _pki.RogueRoot);
        var pdf = SignedPdfBuilder.CreatePdf(Lines);
        pdf = SignedPdfBuilder.Sign(pdf, expired, new() { SigningTime = signedAt, ExtraCertificates = _pki.Chain });
        pdf = SignedPdfBuilder.Sign(pdf, notYetValid, new() { SigningTime = signedAt, ExtraCertificates = _pki.Chain });
        pdf = SignedPdfBuilder.Sign(pdf, rogue, new() { SigningTime = signedAt });

        var signatures = (await Check(pdf)).Signatures;
        Assert.Equal(3, signatures.Count);
        Assert.All(signatures, s => Assert.Equal("Signature is Valid.", s.SignatureValidation));
        Assert.Equal("Kẻ Giả Mạo", signatures[2].SignerCommonName);
    }

    [Fact]
    public async Task Flipped_byte_in_signed_text_breaks_the_digest()
    {
        var signer = _pki.IssueSigner(Citizen, _now.AddDays(-1), _now.AddYears(1));
        var pdf = SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(Lines), signer, new() { ExtraCertificates = _pki.Chain });
        pdf = SignedPdfBuilder.FlipByte(pdf, SignedPdfBuilder.OffsetOf(pdf, "Ho so so"));

        var signature = Assert.Single((await Check(pdf)).Signatures);
        Assert.Equal("Digest Mismatch.", signature.SignatureValidation);
    }

    [Fact]
    public async Task Signature_timestamp_is_accepted_by_dotnet()
    {
        var signer = _pki.IssueSigner(Citizen, _now.AddDays(-1), _now.AddYears(1));
        var stampedAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        var pdf = SignedPdfBuilder.Sign(SignedPdfBuilder.CreatePdf(Lines), signer, new()
        {
            SubFilter = PdfSubFilter.EtsiCadesDetached,
            ExtraCertificates = _pki.Chain,
            Timestamp = new TimestampAuthority(_pki.Tsa, _pki.Chain),
            TimestampTime = stampedAt,
        });
        Assert.Equal("Signature is Valid.", Assert.Single((await Check(pdf)).Signatures).SignatureValidation);

        var signerInfo = new CmsSignedData(Assert.Single(SignedPdfBuilder.ReadSignatures(pdf)).Cms).GetSignerInfos().GetSigners().Single();
        var attribute = signerInfo.UnsignedAttributes[PkcsObjectIdentifiers.IdAASignatureTimeStampToken];
        var token = attribute.AttrValues[0].GetEncoded(Asn1Encodable.Der);
        var (genTime, tsaSubject) = DotNetTimestamp.Verify(token, signerInfo.GetSignature(), [_pki.Intermediate]);
        Assert.Equal(stampedAt, genTime);
        Assert.Equal(_pki.Tsa.Subject, tsaSubject);
        Assert.Throws<CryptographicException>(() => DotNetTimestamp.Verify(token, [.. signerInfo.GetSignature(), 0], [_pki.Intermediate]));
    }

    [Fact]
    public void Crl_is_signed_by_the_intermediate_and_lists_the_revoked_serial()
    {
        var revoked = _pki.IssueSigner(Citizen, _now.AddDays(-30), _now.AddYears(1));
        var revokedAt = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var der = _pki.IssueCrl(_pki.Intermediate, [(revoked, revokedAt)], _now.AddDays(-1), _now.AddDays(7));
        _pki.IssueCrl(_pki.Root, Array.Empty<(X509Certificate2, DateTimeOffset)>(), _now.AddDays(-1), _now.AddDays(30));

        var crl = new X509CrlParser().ReadCrl(der);
        crl.Verify(DotNetUtilities.FromX509Certificate(_pki.Intermediate).GetPublicKey());
        var entry = crl.GetRevokedCertificate(new BigInteger(1, revoked.SerialNumberBytes.ToArray()));
        Assert.NotNull(entry);
        Assert.Equal(revokedAt.UtcDateTime, entry.RevocationDate);

        var folder = Directory.CreateTempSubdirectory("motcua-trust-").FullName;
        try
        {
            _pki.WriteTrustFolder(folder);
            Assert.Equal(_pki.Root.RawData, File.ReadAllBytes(Path.Combine(folder, "anchors", "root.cer")));
            Assert.Equal(_pki.Intermediate.RawData, File.ReadAllBytes(Path.Combine(folder, "intermediates", "intermediate.cer")));
            Assert.Equal(2, Directory.GetFiles(Path.Combine(folder, "crls"), "*.crl").Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Detached_and_enveloping_cms_verify_with_openssl_against_the_test_root()
    {
        var signer = _pki.IssueSigner(Citizen, _now.AddDays(-1), _now.AddYears(1), TestKeyKind.EcdsaP256);
        var folder = Directory.CreateTempSubdirectory("motcua-cms-").FullName;
        try
        {
            var content = Path.Combine(folder, "don.pdf");
            SignedPdfBuilder.CreatePdf(content, Lines);
            var options = new CmsSignatureOptions
            {
                SigningTime = _now,
                IncludeSigningCertificateV2 = true,
                ExtraCertificates = _pki.Chain,
                Timestamp = new TimestampAuthority(_pki.Tsa),
            };
            var p7s = DetachedSignature.WriteDetached(content, signer, options);
            var p7m = Path.Combine(folder, "don.p7m");
            await File.WriteAllBytesAsync(p7m, DetachedSignature.CreateEnveloping(await File.ReadAllBytesAsync(content), signer, options));
            var root = Path.Combine(folder, "root.pem");
            await File.WriteAllTextAsync(root, _pki.Root.ExportCertificatePem());

            await Tools.RunAsync("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7s, "-content", content, "-CAfile", root, "-out", "/dev/null");
            var extracted = Path.Combine(folder, "extracted.pdf");
            await Tools.RunAsync("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7m, "-CAfile", root, "-out", extracted);
            Assert.Equal(await File.ReadAllBytesAsync(content), await File.ReadAllBytesAsync(extracted));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<PdfsigReport> Check(byte[] pdf)
    {
        var report = await Pdfsig.RunAsync(pdf);
        output.WriteLine($"pdfsig exit {report.ExitCode}\n{report.Output}{report.Error}");
        return report;
    }

    /// <summary>.NET's own RFC 3161 reader, independent of the BouncyCastle code that made the token.</summary>
    private static class DotNetTimestamp
    {
        public static (DateTimeOffset GenTime, string TsaSubject) Verify(byte[] token, byte[] data, X509Certificate2Collection extra)
        {
            if (!System.Security.Cryptography.Pkcs.Rfc3161TimestampToken.TryDecode(token, out var decoded, out _))
                throw new CryptographicException("Rfc3161TimestampToken.TryDecode failed.");
            if (!decoded.VerifySignatureForData(data, out var tsa, extra)) throw new CryptographicException("VerifySignatureForData returned false.");
            return (decoded.TokenInfo.Timestamp, tsa!.Subject);
        }
    }
}
