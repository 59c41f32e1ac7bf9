using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Documents.Signatures;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.Signing;
using MotCua.Signing.Appearance;
using MotCua.Signing.Forms;
using MotCua.Signing.Keys;
using MotCua.Signing.Pdf;
using UglyToad.PdfPig.Tokens;

namespace MotCua.FunctionApp.Tests.Signing;

/// <summary>
/// An outgoing document: the competent person signs on the phone with empty number and date fields,
/// the records clerk fills them, the agency seals the whole file; what may and may not change in between.
/// </summary>
public sealed class NumberAfterSignatureTests : IDisposable
{
    private const string NumberField = "so-van-ban", DateField = "ngay-ban-hanh";
    private const string DateText = "ngày 05 tháng 01 năm 2027";
    private static readonly DateOnly Issued = new(2027, 1, 5);
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TestPki _pki = TestPki.Create(Now);
    private readonly string _folder = Directory.CreateTempSubdirectory("motcua-number-").FullName;

    public static readonly OfficialLetter Draft = new()
    {
        Name = "cong-van-du-thao",
        Agency = ["ỦY BAN NHÂN DÂN", "PHƯỜNG NHA TRANG"],
        Number = "        /UBND-VP",
        PlaceAndDate = "Nha Trang, ngày       tháng       năm 20",
        Summary = "V/v tổ chức tiếp công dân định kỳ tháng 01 năm 2027",
        Recipients = ["Kính gửi: Các tổ dân phố thuộc phường."],
        Body = ["Ủy ban nhân dân phường thông báo lịch tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân phường như sau."],
        Signer = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
    };

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_number_and_date_filled_after_the_person_signs_keep_both_signatures_valid(bool certified)
    {
        var personSigned = await PersonSignsAsync(certified ? Certification.FormFillingAndSigning : null);
        var sealedFile = await SealAsync(await FillAsync(personSigned, Values("15")));

        var ours = await VerifyAsync(sealedFile);
        Assert.Equal(SignatureVerdict.Valid, ours.Verdict);
        Assert.Collection(ours.Signatures,
            person => { Assert.Equal("valid", person.Verdict); Assert.Contains("Trần Thị Bình", person.Signer); Assert.False(person.CoversWholeFile); },
            agency => { Assert.Equal("valid", agency.Verdict); Assert.True(agency.CoversWholeFile); });
        var pdfsig = await Pdfsig.RunAsync(sealedFile, skipCertificateValidation: true);
        Assert.Equal(2, pdfsig.Signatures.Count);
        Assert.All(pdfsig.Signatures, s => Assert.Equal("Signature is Valid.", s.SignatureValidation));
        Assert.Equal([false, true], pdfsig.Signatures.Select(s => s.TotalDocumentSigned ?? false));

        // The values are drawn where the blanks were: poppler extracts them with the page's own text.
        var text = await Tools.PdfTextAsync(sealedFile);
        Assert.Matches(@"Số:\s+15\s?/UBND-VP", text);
        Assert.Contains(DateText, text);
        Assert.Contains("15", FieldValue(sealedFile, NumberField));
    }

    [Fact]
    public async Task A_content_change_between_the_signatures_flags_the_person_and_not_the_seal()
    {
        var personSigned = await PersonSignsAsync(Certification.FormFillingAndSigning);
        var changed = Append(personSigned, (revision, update) =>
        {
            var page = revision.Dictionary(revision.Pages[0]);
            var contents = (IndirectReferenceToken)(page.Data["Contents"] is ArrayToken array ? array.Data[0] : page.Data["Contents"]);
            var data = "BT /F1 12 Tf 100 100 Td (Da sua) Tj ET"u8.ToArray();
            update.Set(contents.Data, new StreamToken(new DictionaryToken(new Dictionary<NameToken, IToken> { [NameToken.Length] = new NumericToken(data.Length) }), data));
        });
        var sealedFile = await SealAsync(await FillAsync(changed, Values("16")));

        var ours = await VerifyAsync(sealedFile);
        Assert.Equal(SignatureVerdict.ModifiedAfterSigning, ours.Verdict);
        Assert.Collection(ours.Signatures,
            person =>
            {
                Assert.Equal("modified-after-signing", person.Verdict);
                Assert.Contains("Nội dung trang 1 bị thay đổi", person.Reason);
                Assert.Contains("content of page 1", person.Reason);
            },
            agency => Assert.Equal("valid", agency.Verdict));
    }

    [Fact]
    public async Task An_annotation_added_between_the_signatures_flags_the_person()
    {
        var personSigned = await PersonSignsAsync(Certification.FormFillingAndSigning);
        var annotated = Append(personSigned, (revision, update) =>
        {
            var annotation = update.Add(new DictionaryToken(new Dictionary<NameToken, IToken>
            {
                [NameToken.Type] = NameToken.Annot,
                [NameToken.Subtype] = NameToken.Create("Text"),
                [NameToken.Rect] = new ArrayToken([new NumericToken(50), new NumericToken(50), new NumericToken(70), new NumericToken(70)]),
                [NameToken.Contents] = new StringToken("Ghi chu"),
            }));
            var page = revision.Dictionary(revision.Pages[0]);
            var annots = (ArrayToken)revision.Resolve(page.Data["Annots"])!;
            var list = new ArrayToken([.. annots.Data, new IndirectReferenceToken(annotation)]);
            if (page.Data["Annots"] is IndirectReferenceToken shared) update.Set(shared.Data, list);
            else update.Set(revision.Pages[0], page.With(NameToken.Annots, list));
        });
        var sealedFile = await SealAsync(annotated);

        var person = (await VerifyAsync(sealedFile)).Signatures[0];
        Assert.Equal("modified-after-signing", person.Verdict);
        Assert.Contains("(Text)", person.Reason);
        Assert.Contains("P=2", person.Reason);
    }

    [Fact]
    public async Task Bytes_appended_after_the_seal_that_are_no_revision_flag_it_and_a_later_security_store_does_not()
    {
        var sealedFile = await SealAsync(await FillAsync(await PersonSignsAsync(Certification.FormFillingAndSigning), Values("20")));
        byte[] junk = [.. sealedFile, .. "\n12 0 obj\n<< /Type /Annot /Subtype /Text /Rect [0 0 9 9] >>\nendobj\n"u8];

        var seal = (await VerifyAsync(junk)).Signatures[^1];
        Assert.Equal("modified-after-signing", seal.Verdict);
        Assert.Contains("not a revision", seal.Reason);

        var crl = _pki.IssueCrl(_pki.Intermediate, Array.Empty<(X509Certificate2, DateTimeOffset)>(), Now.AddHours(-1), Now.AddDays(7));
        var withStore = Append(sealedFile, (revision, update) =>
        {
            var store = update.Add(new DictionaryToken(new Dictionary<NameToken, IToken>
            {
                [NameToken.Create("CRLs")] = new ArrayToken([new IndirectReferenceToken(update.Add(new StreamToken(new DictionaryToken(new Dictionary<NameToken, IToken>()), crl)))]),
            }));
            update.Set(revision.Root, revision.Catalog.With(NameToken.Create("DSS"), new IndirectReferenceToken(store)));
        });
        Assert.Equal(SignatureVerdict.Valid, (await VerifyAsync(withStore)).Verdict);
    }

    [Fact]
    public async Task Filling_a_field_under_a_no_changes_certification_is_refused_and_flagged_when_forced()
    {
        var personSigned = await PersonSignsAsync(Certification.NoChanges);
        var values = Values("17");

        var refused = await Assert.ThrowsAsync<PdfSigningException>(() => FillAsync(personSigned, values));
        Assert.Equal("certified-no-changes", refused.Reason);

        var forced = new MemoryStream();
        await PdfFieldFiller.FillAsync(new MemoryStream(personSigned), values, forced, AppearanceFonts.Load(), honourCertification: false, CancellationToken.None);
        var person = Assert.Single((await VerifyAsync(forced.ToArray())).Signatures);
        Assert.Equal("modified-after-signing", person.Verdict);
        Assert.Contains("được điền", person.Reason);
        Assert.Contains("P=1", person.Reason);
    }

    [Fact]
    public async Task Filling_an_unknown_field_or_a_filled_one_is_refused()
    {
        var personSigned = await PersonSignsAsync(Certification.FormFillingAndSigning);

        var unknown = await Assert.ThrowsAsync<PdfSigningException>(() => FillAsync(personSigned, new() { ["so-khac"] = "1" }));
        Assert.Equal("unknown-field", unknown.Reason);
        Assert.Contains("so-khac", unknown.Message);

        var once = await FillAsync(personSigned, new() { [NumberField] = "18" });
        var twice = await Assert.ThrowsAsync<PdfSigningException>(() => FillAsync(once, new() { [NumberField] = "19" }));
        Assert.Equal("field-already-filled", twice.Reason);
        var other = await FillAsync(once, new(Values("18").Where(v => v.Key != NumberField)));
        Assert.Equal(SignatureVerdict.Valid, (await VerifyAsync(other)).Verdict);
    }

    [Fact]
    public async Task A_certification_must_be_the_first_signature_and_field_names_must_be_new()
    {
        var personSigned = await PersonSignsAsync(Certification.FormFillingAndSigning);
        var seal = Seal();

        var second = await Assert.ThrowsAsync<PdfSigningException>(() => PdfSigner.SignAsync(new MemoryStream(personSigned),
            new CertificateHashSigner(seal, [_pki.Intermediate]), Request(seal) with { Certify = Certification.FormFillingAndSigning }, null, new MemoryStream(), CancellationToken.None));
        Assert.Equal("already-signed", second.Reason);
        var clash = await Assert.ThrowsAsync<PdfSigningException>(() => PdfSigner.SignAsync(new MemoryStream(personSigned),
            new CertificateHashSigner(seal, [_pki.Intermediate]), Request(seal) with { FillableFields = [new FillableTextField(NumberField, 0, new(10, 10, 100, 30))] },
            null, new MemoryStream(), CancellationToken.None));
        Assert.Equal("field-exists", clash.Reason);
    }

    private async Task<byte[]> PersonSignsAsync(Certification? certification)
    {
        var source = OfficialLetters.Pdf(Draft);
        var placement = Placement(source);
        var phone = _pki.IssueSigner("CN=Trần Thị Bình, O=UBND phường Nha Trang, C=VN", Now.AddDays(-1), Now.AddYears(1), TestKeyKind.EcdsaP256);
        var request = Request(phone) with
        {
            SignerName = "Trần Thị Bình",
            Reason = "Ký ban hành",
            FillableFields = placement.Fields(NumberField, DateField),
            Certify = certification,
        };
        var prepared = await PdfSigner.PrepareAsync(new MemoryStream(source), request, CancellationToken.None);
        using var key = phone.GetECDsaPrivateKey()!;
        var signed = new MemoryStream();
        await PdfSigner.CompleteAsync(new MemoryStream(source), prepared, key.SignHash(prepared.DigestToSign, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            timestamps: null, signed, CancellationToken.None);
        return signed.ToArray();
    }

    private static OfficialNumberPlacement Placement(byte[] pdf)
    {
        var placement = OfficialNumberPlacement.Locate(new MemoryStream(pdf));
        Assert.NotNull(placement.Number);
        Assert.NotNull(placement.Date);
        return placement;
    }

    private static Dictionary<string, string> Values(string number) =>
        new(Placement(OfficialLetters.Pdf(Draft)).Values(NumberField, number, "UBND-VP", DateField, Issued));

    private static async Task<byte[]> FillAsync(byte[] pdf, Dictionary<string, string> values)
    {
        var output = new MemoryStream();
        await PdfFieldFiller.FillAsync(new MemoryStream(pdf), values, output, CancellationToken.None);
        return output.ToArray();
    }

    private async Task<byte[]> SealAsync(byte[] pdf)
    {
        var seal = Seal();
        var output = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(pdf), new CertificateHashSigner(seal, [_pki.Intermediate]), Request(seal), null, output, CancellationToken.None);
        return output.ToArray();
    }

    private static byte[] Append(byte[] pdf, Action<PdfRevision, IncrementalUpdate> change)
    {
        using var revision = PdfRevision.Open(new MemoryStream(pdf));
        var update = new IncrementalUpdate(revision);
        change(revision, update);
        return [.. pdf, .. update.Write().Bytes];
    }

    private static string FieldValue(byte[] pdf, string name)
    {
        using var revision = PdfRevision.Open(new MemoryStream(pdf));
        var field = FormFields.Read(revision).Single(f => f.Name == name);
        Assert.Equal(1, field.Flags & 1);
        return FormFields.Name(field.Dictionary.Data["V"])!;
    }

    private X509Certificate2 Seal() =>
        _pki.IssueSigner("CN=UBND phường Nha Trang, O=UBND phường Nha Trang, C=VN", Now.AddYears(-1), Now.AddYears(2), TestKeyKind.Rsa2048);

    private PdfSignatureRequest Request(X509Certificate2 certificate) => new()
    {
        Certificate = certificate,
        Chain = [_pki.Intermediate],
        SigningTime = Now,
        Location = "Phường Nha Trang",
    };

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
}
