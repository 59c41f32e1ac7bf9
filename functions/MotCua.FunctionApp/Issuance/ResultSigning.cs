using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Options;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Approvals;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Signing;
using MotCua.Signing;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Issuance;

public sealed record SigningPreparationForm(string KeyId);

/// <summary>What the phone signs: the SHA-256 of the CMS signed attributes, or the attributes themselves for keys that hash as they sign.</summary>
public sealed record SigningPreparationView(string PreparationId, string DigestToSign, string SignedAttributes, string Algorithm,
    DateTimeOffset ExpiresAt, string ResultSha256);

/// <summary>The phone's signature over a prepared result, sent with the approval.</summary>
public sealed record ResultSignature(string PreparationId, string Value);

/// <summary>A prepared signature as it waits in storage: whose it is, for which draft, until when.</summary>
internal sealed record StoredPreparation(string UserId, string KeyId, int Revision, string DraftSha256, DateTimeOffset ExpiresAt, PreparedSignature Prepared);

/// <summary>
/// The competent person's signature on the result, made on their phone: MotCua prepares the PDF
/// (QR code and signature block in place) for the phone key's certificate and hands the phone the
/// digest; the approval brings the signature back and MotCua completes the PDF.
/// </summary>
public sealed class ResultSigning(DossierStore dossiers, ProcedureCatalog catalog, ResultStore results, ResultFiles files, PhoneKeyCertificates phoneKeys,
    ResultAppearance appearance, IOptions<ResultOptions> options, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SigningPreparationView> PrepareAsync(string code, CurrentUser user, SigningPreparationForm form, CancellationToken cancellationToken)
    {
        if (!DossierCode.TryParse(code, out _)) throw BadDossierCode(code);
        if (!PhoneKeyCertificates.IsKeyId(form.KeyId))
            throw BadRequest("keyId", "keyId là mã khóa thiết bị đã đăng ký.", "keyId is a registered device key's id.");
        var found = await dossiers.GetAsync(code, cancellationToken) ?? throw DossierNotFound(code);
        var d = found.Dossier;
        DossierReader.EnsureMaySee(user, d);
        await EnsureApproverAsync(d, user, cancellationToken);
        var row = await results.FindAsync(code, cancellationToken) ?? throw ResultProblems.NoResult(code);
        if (row.StageValue != ResultStage.Draft) throw ResultProblems.Locked(row.StageValue);
        var (certificate, issuers) = await phoneKeys.CurrentAsync(user.Id, form.KeyId, cancellationToken);

        var now = time.GetUtcNow();
        PreparedSignature prepared;
        await using (var source = await files.OpenReadAsync(row.DraftBlob, cancellationToken))
        {
            try
            {
                var pages = PdfSigner.PageBoxes(source);
                var request = new PdfSignatureRequest
                {
                    Certificate = certificate,
                    Chain = issuers,
                    SigningTime = now,
                    SignerName = user.Name,
                    Reason = $"Phê duyệt kết quả giải quyết hồ sơ {code}",
                    Appearance = appearance.Person(d, user, pages),
                    Stamps = [appearance.CheckMark(d.ReceivingUnit, row.CheckId, pages)],
                };
                source.Position = 0;
                prepared = await PdfSigner.PrepareAsync(source, request, cancellationToken);
            }
            catch (PdfSigningException e)
            {
                throw ResultProblems.NotSignable(e.Message);
            }
        }
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expiresAt = now + options.Value.PreparationLifetime;
        var stored = new StoredPreparation(user.Id, form.KeyId, row.Revision, row.DraftSha256, expiresAt, prepared);
        var blob = await files.BlobAsync(ResultFiles.Preparation(code, id), cancellationToken);
        await blob.UploadAsync(BinaryData.FromObjectAsJson(stored, Json), overwrite: false, cancellationToken);
        return new SigningPreparationView(id, Convert.ToBase64String(prepared.DigestToSign), Convert.ToBase64String(prepared.SignedAttributes),
            certificate.GetECDsaPublicKey() is null ? "RS256" : "ES256", expiresAt, row.DraftSha256);
    }

    /// <summary>
    /// Completes the person's signature on the draft for an approval: the row to write with the
    /// dossier's change, or null when there is no draft to sign. The file is written under a name
    /// of its preparation, so an approval that fails after it leaves nothing the row points at.
    /// </summary>
    public async Task<ResultEntity?> SignForApprovalAsync(string code, CurrentUser user, string approvalKeyId, ResultSignature? signature, CancellationToken cancellationToken)
    {
        var row = await results.FindAsync(code, cancellationToken);
        if (row is not { StageValue: ResultStage.Draft }) return null;
        if (signature is null) throw ResultProblems.ResultSignatureRequired();
        if (signature.PreparationId is not { Length: 32 } id || !id.All(char.IsAsciiHexDigitLower)) throw ResultProblems.PreparationNotFound();
        var value = new byte[signature.Value?.Length ?? 0];
        if (signature.Value is null || !Convert.TryFromBase64String(signature.Value, value, out var valueLength))
            throw BadRequest("resultSignature.value", "Chữ ký phải là base64.", "The signature must be base64.");

        var stored = await LoadAsync(code, id, cancellationToken);
        if (stored is null || stored.UserId != user.Id) throw ResultProblems.PreparationNotFound();
        if (time.GetUtcNow() > stored.ExpiresAt) throw ResultProblems.PreparationExpired();
        if (stored.Revision != row.Revision || stored.DraftSha256 != row.DraftSha256) throw ResultProblems.ResultChanged();
        if (stored.KeyId != approvalKeyId)
            throw SignatureRefused("Kết quả phải được ký bằng cùng khóa thiết bị với quyết định phê duyệt.", "The result must be signed with the same device key as the approval.");
        await phoneKeys.CurrentAsync(user.Id, stored.KeyId, cancellationToken);

        var blobName = ResultFiles.PersonSigned(code, row.Revision, id);
        var target = await files.BlockBlobAsync(blobName, cancellationToken);
        try
        {
            await using var source = await files.OpenReadAsync(row.DraftBlob, cancellationToken);
            await using var output = await target.OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken);
            await PdfSigner.CompleteAsync(source, stored.Prepared, value[..valueLength], timestamps: null, output, cancellationToken);
        }
        catch (PdfSigningException e) when (e.Reason == "signature-mismatch")
        {
            throw SignatureRefused("Chữ ký số trên kết quả không khớp với nội dung đã chuẩn bị.", "The result's signature does not match what was prepared.");
        }
        catch (PdfSigningException e) when (e.Reason == "document-changed")
        {
            throw ResultProblems.ResultChanged();
        }
        catch (RequestFailedException e) when (e.Status is 412 or 409)
        {
            throw ResultProblems.ResultChanged();
        }

        row.Stage = (int)ResultStage.PersonSigned;
        row.PersonSignedBlob = blobName;
        row.PersonSignerId = user.Id;
        row.PersonSignerName = user.Name;
        row.PersonSignedAt = stored.Prepared.SigningTime;
        return row;
    }

    /// <summary>A used preparation is removed once the approval is recorded; one left behind expires unused.</summary>
    public async Task ForgetAsync(string code, ResultSignature? signature)
    {
        if (signature?.PreparationId is not { Length: 32 } id || !id.All(char.IsAsciiHexDigitLower)) return;
        try
        {
            await (await files.BlobAsync(ResultFiles.Preparation(code, id), CancellationToken.None)).DeleteIfExistsAsync();
        }
        catch (RequestFailedException)
        {
        }
    }

    private async Task<StoredPreparation?> LoadAsync(string code, string id, CancellationToken cancellationToken)
    {
        var blob = await files.BlobAsync(ResultFiles.Preparation(code, id), cancellationToken);
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<StoredPreparation>(Json);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Only who may approve the dossier now may have its result prepared for their signature.</summary>
    private async Task EnsureApproverAsync(DossierEntity d, CurrentUser user, CancellationToken cancellationToken)
    {
        var procedure = await catalog.FindVersionAsync(d.ProcedureCode, d.ProcedureVersion, cancellationToken);
        var step = procedure is not null && d.Step >= 0 && d.Step < procedure.Workflow.Count ? procedure.Workflow[d.Step] : null;
        if ((DossierStatus)d.Status != DossierStatus.InProgress || step is not { IsApproval: true })
            throw ActionNotAllowedNow((DossierStatus)d.Status, []);
        if (!user.IsOfficial || user.Unit != d.HolderUnit || user.Role != step.Role)
            throw Forbidden("Chỉ người phê duyệt hồ sơ ký kết quả.", "Only the dossier's approver signs its result.");
    }
}
