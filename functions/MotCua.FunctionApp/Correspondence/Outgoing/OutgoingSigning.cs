using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Options;
using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Issuance;
using MotCua.FunctionApp.Signing;
using MotCua.Signing;
using MotCua.Signing.Appearance;
using MotCua.Signing.RemoteSigning;
using MotCua.FunctionApp.Documents.Signatures;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

/// <param name="Decision">"sign" completes the signature prepared for the phone's key; "return" sends the draft back with the comment.</param>
/// <param name="Signature">The phone's signature over what <c>…/signing</c> prepared.</param>
/// <param name="Remote">Or the signer's credential at the remote-signing service (CSC): their access token there, the credential, and the PIN or OTP that authorizes it.</param>
public sealed record OutgoingApprovalForm(string Decision, ResultSignature? Signature = null, string? Comment = null, RemoteSigningForm? Remote = null);

public sealed record RemoteSigningForm(string AccessToken, string CredentialId, string? Pin = null, string? Otp = null);

/// <summary>A prepared signature as it waits in storage: whose it is, for which revision of the draft, until when, with what authority.</summary>
internal sealed record StoredOutgoingPreparation(string UserId, string KeyId, int Revision, string DraftSha256, DateTimeOffset ExpiresAt, string? Authority,
    string Position, PreparedSignature Prepared);

/// <summary>
/// The competent person signs the draft from the phone: MotCua prepares the PDF with their signature
/// block (authority, position, signature image, name) for the phone key's certificate and hands the
/// phone the digest; the approval brings the signature back and MotCua completes the PDF. A draft
/// that changed between the two is refused.
/// </summary>
public sealed class OutgoingSigning(OutgoingStore store, OutgoingAccess access, ResultFiles files, PhoneKeyCertificates phoneKeys, SignatureAppearances appearances,
    TrustStore trust, Func<CscClient> remoteClient, IOptions<RemoteSigningOptions> remoteOptions, IOptions<ResultOptions> options, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SigningPreparationView> PrepareAsync(OutgoingDocumentEntity d, SigningPreparationForm form, CurrentUser user, CancellationToken cancellationToken)
    {
        if (!PhoneKeyCertificates.IsKeyId(form.KeyId)) throw BadRequest("keyId", "keyId là mã khóa thiết bị đã đăng ký.", "keyId is a registered device key's id.");
        EnsureSigner(d, user);
        if (d.State != OutgoingStatus.AwaitingSignature || d.DraftBlob is null) throw OutgoingProblems.StepNotAllowed(d.State, "ký", "signed");
        var (certificate, issuers) = await phoneKeys.CurrentAsync(user.Id, form.KeyId, cancellationToken);
        var (authority, position) = await AuthorityAsync(d, user, cancellationToken);

        var now = time.GetUtcNow();
        PreparedSignature prepared;
        await using (var source = await files.OpenReadAsync(d.DraftBlob, cancellationToken))
        {
            try
            {
                prepared = await PdfSigner.PrepareAsync(source, Request(d, user, certificate, issuers, authority, position, now, source), cancellationToken);
            }
            catch (PdfSigningException e)
            {
                throw OutgoingProblems.NotSignable(e.Message);
            }
        }
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expiresAt = now + options.Value.PreparationLifetime;
        var stored = new StoredOutgoingPreparation(user.Id, form.KeyId, d.Revision, d.DraftSha256!, expiresAt, authority?.ToString(), position, prepared);
        var blob = await files.BlobAsync(OutgoingFiles.Preparation(d.Id, id), cancellationToken);
        await blob.UploadAsync(BinaryData.FromObjectAsJson(stored, Json), overwrite: false, cancellationToken);
        return new SigningPreparationView(id, Convert.ToBase64String(prepared.DigestToSign), Convert.ToBase64String(prepared.SignedAttributes),
            certificate.GetECDsaPublicKey() is null ? "RS256" : "ES256", expiresAt, d.DraftSha256!);
    }

    public async Task<OutgoingDocumentEntity> DecideAsync(OutgoingDocumentEntity d, int version, OutgoingApprovalForm form, CurrentUser user, CancellationToken cancellationToken)
    {
        EnsureSigner(d, user);
        if (form.Decision == "return")
        {
            var comment = OutgoingReview.CheckComment(form.Comment, required: true);
            return await store.ApplyAsync(d, version, (row, _) =>
            {
                if (row.State != OutgoingStatus.AwaitingSignature) throw OutgoingProblems.StepNotAllowed(row.State, "trả lại", "returned");
                row.LastComment = comment;
                return ValueTask.FromResult(new OutgoingChange(OutgoingStatus.Returned, "signer-returned", comment!));
            }, user.Id, cancellationToken);
        }
        if (form.Decision != "sign") throw BadRequest("decision", "decision là \"sign\" (ký) hoặc \"return\" (trả lại).", "decision is \"sign\" or \"return\".");
        var signComment = OutgoingReview.CheckComment(form.Comment, required: false);
        if (d.State != OutgoingStatus.AwaitingSignature) throw OutgoingProblems.StepNotAllowed(d.State, "ký", "signed");
        if (form.Remote is not null && form.Signature is not null)
            throw BadRequest("remote", "Ký bằng điện thoại (signature) hoặc qua dịch vụ ký số từ xa (remote), không cả hai.", "Sign with the phone (signature) or remotely (remote), not both.");
        if (form.Remote is { } remote) return await SignRemotelyAsync(d, version, remote, signComment, user, cancellationToken);
        var signature = form.Signature ?? throw BadRequest("signature", "Cần chữ ký của điện thoại trên văn bản đã chuẩn bị.", "The phone's signature over the prepared document is required.");
        if (signature.PreparationId is not { Length: 32 } preparationId || !preparationId.All(char.IsAsciiHexDigitLower)) throw ResultProblems.PreparationNotFound();
        var value = new byte[signature.Value?.Length ?? 0];
        if (signature.Value is null || !Convert.TryFromBase64String(signature.Value, value, out var valueLength))
            throw BadRequest("signature.value", "Chữ ký phải là base64.", "The signature must be base64.");

        var stored = await LoadAsync(d.Id, preparationId, cancellationToken);
        if (stored is null || stored.UserId != user.Id) throw ResultProblems.PreparationNotFound();
        if (time.GetUtcNow() > stored.ExpiresAt) throw ResultProblems.PreparationExpired();
        if (stored.Revision != d.Revision || stored.DraftSha256 != d.DraftSha256) throw OutgoingProblems.DraftChanged();
        await phoneKeys.CurrentAsync(user.Id, stored.KeyId, cancellationToken);

        var blobName = OutgoingFiles.PersonSigned(d.Id, d.Revision, preparationId);
        var target = await files.BlockBlobAsync(blobName, cancellationToken);
        try
        {
            await using var source = await files.OpenReadAsync(d.DraftBlob!, cancellationToken);
            await using var output = await target.OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken);
            await PdfSigner.CompleteAsync(source, stored.Prepared, value[..valueLength], timestamps: null, output, cancellationToken);
        }
        catch (PdfSigningException e) when (e.Reason == "signature-mismatch")
        {
            await target.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw SignatureRefused("Chữ ký số trên văn bản không khớp với nội dung đã chuẩn bị.", "The document's signature does not match what was prepared.");
        }
        catch (Exception e) when (e is PdfSigningException { Reason: "document-changed" } or RequestFailedException { Status: 412 or 409 })
        {
            await target.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw OutgoingProblems.DraftChanged();
        }

        try
        {
            return await RecordSignedAsync(d, version, blobName, stored.Revision, stored.DraftSha256, stored.Prepared.SigningTime, stored.Authority, stored.Position,
                signComment, new { preparationId, keyId = stored.KeyId, revision = stored.Revision }, user, cancellationToken);
        }
        catch
        {
            await target.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw;
        }
        finally
        {
            await (await files.BlobAsync(OutgoingFiles.Preparation(d.Id, preparationId), CancellationToken.None)).DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        }
    }

    /// <summary>
    /// The signer's key at a remote-signing service: its certificate must chain to a trusted authority;
    /// the service signs the digest the PIN or OTP authorizes, and the PDF is signed in one pass.
    /// </summary>
    private async Task<OutgoingDocumentEntity> SignRemotelyAsync(OutgoingDocumentEntity d, int version, RemoteSigningForm remote, string? comment, CurrentUser user,
        CancellationToken cancellationToken)
    {
        if (remoteOptions.Value.BaseUrl is null)
            throw SignatureRefused("Hệ thống chưa kết nối dịch vụ ký số từ xa.", "No remote-signing service is configured.");
        if (string.IsNullOrWhiteSpace(remote.AccessToken) || remote.AccessToken.Length > 4096 || string.IsNullOrWhiteSpace(remote.CredentialId) || remote.CredentialId.Length > 256
            || (remote.Pin is null && remote.Otp is null) || remote.Pin?.Length > 64 || remote.Otp?.Length > 64)
            throw BadRequest("remote", "Cần accessToken, credentialId và PIN hoặc OTP của dịch vụ ký số từ xa.", "The remote-signing service's accessToken, credentialId and PIN or OTP are required.");
        CscHashSigner signer;
        try
        {
            signer = await CscHashSigner.OpenAsync(remoteClient(), remote.AccessToken, remote.CredentialId, remote.Pin, remote.Otp, cancellationToken);
        }
        catch (RemoteSigningException e)
        {
            throw SignatureRefused($"Dịch vụ ký số từ xa từ chối: {e.Error}.", $"The remote-signing service refused: {e.Error} {e.Description}");
        }
        var material = await trust.CurrentAsync(cancellationToken);
        var now = time.GetUtcNow();
        var candidates = new X509Certificate2Collection(signer.Chain.ToArray());
        if (CertificateChains.Check(signer.Certificate, candidates, material, now, now).Verdict != Documents.Signatures.SignatureVerdict.Valid)
            throw SignatureRefused("Chứng thư số của dịch vụ ký số từ xa không hợp lệ hoặc không do tổ chức được tin cậy cấp.",
                "The remote credential's certificate is not valid or not issued by a trusted authority.");
        var (authority, position) = await AuthorityAsync(d, user, cancellationToken);
        var (revision, sha256) = (d.Revision, d.DraftSha256!);
        var blobName = OutgoingFiles.PersonSigned(d.Id, revision, "remote");
        var target = await files.BlockBlobAsync(blobName, cancellationToken);
        try
        {
            await using (var source = await files.OpenReadAsync(d.DraftBlob!, cancellationToken))
            await using (var output = await target.OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken))
            {
                var request = Request(d, user, signer.Certificate, CertificateChains.IssuersBelowAnchor(signer.Certificate, candidates, material), authority, position, now, source);
                await PdfSigner.SignAsync(source, signer, request, timestamps: null, output, cancellationToken);
            }
            return await RecordSignedAsync(d, version, blobName, revision, sha256, now, authority?.ToString(), position, comment,
                new { remote = remote.CredentialId, revision }, user, cancellationToken);
        }
        catch (Exception e)
        {
            await target.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            if (e is RemoteSigningException refused)
                throw SignatureRefused($"Dịch vụ ký số từ xa từ chối: {refused.Error}.", $"The remote-signing service refused: {refused.Error} {refused.Description}");
            if (e is PdfSigningException unsigned) throw OutgoingProblems.NotSignable(unsigned.Message);
            throw;
        }
    }

    /// <summary>What the person's signature shows and carries: their block, and the empty number and date fields the records clerk fills later.</summary>
    private PdfSignatureRequest Request(OutgoingDocumentEntity d, CurrentUser user, X509Certificate2 certificate, IReadOnlyList<X509Certificate2> issuers,
        SigningAuthority? authority, string position, DateTimeOffset now, Stream source)
    {
        var pages = PdfSigner.PageBoxes(source);
        source.Position = 0;
        var numberPlacement = OutgoingNumberFields.Placement(source, pages);
        source.Position = 0;
        return new PdfSignatureRequest
        {
            Certificate = certificate,
            Chain = issuers,
            SigningTime = now,
            SignerName = user.Name,
            Reason = $"Ký ban hành {d.DocumentType.ToLowerInvariant()}: {(d.Secret ? "văn bản mật" : d.Summary)}",
            Appearance = appearances.SignerBlock(d.Agency, appearances.Block(d.Agency, user.Id, authority, position, user.Name), pages, SignatureBlockLayers.Signer),
            // The number and date are filled in later by the records clerk, in fields this signature permits filling.
            FillableFields = numberPlacement.Fields(OutgoingNumberFields.Number, OutgoingNumberFields.Date),
            // The public check's QR code goes on with the person's signature, so both signatures cover it.
            Stamps = d.CheckId is { } checkId ? [appearances.QrMark(d.Agency, new QrMark(new Uri(options.Value.CheckUrl(checkId))), pages)] : [],
            Certify = Certification.FormFillingAndSigning,
        };
    }

    /// <summary>Records the person's signature, unless the draft changed or someone else acted meanwhile.</summary>
    private Task<OutgoingDocumentEntity> RecordSignedAsync(OutgoingDocumentEntity d, int version, string blobName, int revision, string draftSha256, DateTimeOffset signedAt,
        string? authority, string position, string? comment, object details, CurrentUser user, CancellationToken cancellationToken) =>
        store.ApplyAsync(d, version, (row, _) =>
        {
            if (row.State != OutgoingStatus.AwaitingSignature) throw OutgoingProblems.StepNotAllowed(row.State, "ký", "signed");
            if (row.Revision != revision || row.DraftSha256 != draftSha256) throw OutgoingProblems.DraftChanged();
            row.SignedBlob = blobName;
            row.SignedBy = user.Id;
            row.SignedByName = user.Name;
            row.SignedAt = signedAt;
            row.SigningAuthority = authority;
            row.SignerPosition = position;
            row.LastComment = comment;
            return ValueTask.FromResult(new OutgoingChange(OutgoingStatus.Signed, "signed",
                comment ?? $"{(authority is null ? "" : authority + " ")}{position} {user.Name} đã ký số.", details));
        }, user.Id, cancellationToken);

    private static void EnsureSigner(OutgoingDocumentEntity d, CurrentUser user)
    {
        if (user.Id != d.Signer || !(user.HasRole(Roles.Leader) || user.HasRole(Roles.DeputyLeader) || user.HasRole(Roles.DepartmentHead)))
            throw Forbidden("Chỉ người có thẩm quyền được giao ký văn bản này.", "Only the competent person named to sign this document signs it.");
    }

    /// <summary>
    /// The authority line and position the signature shows (Decree 30/2020, art. 13): the head of a
    /// committee signs "TM." it, a deputy "KT." the head, a department head "TL." the head.
    /// </summary>
    private async Task<(SigningAuthority? Authority, string Position)> AuthorityAsync(OutgoingDocumentEntity d, CurrentUser user, CancellationToken cancellationToken)
    {
        var agencyName = (await access.UnitAsync(d.Agency, cancellationToken))?.Name ?? string.Empty;
        var committee = agencyName.StartsWith("Ủy ban nhân dân", StringComparison.OrdinalIgnoreCase);
        var head = committee ? "Chủ tịch" : "Giám đốc";
        if (user.HasRole(Roles.Leader)) return (committee ? new SigningAuthority(SigningAuthorityKind.OnBehalfOf, "Ủy ban nhân dân") : null, head);
        if (user.HasRole(Roles.DeputyLeader)) return (new SigningAuthority(SigningAuthorityKind.Deputy, head), "Phó " + head);
        return (new SigningAuthority(SigningAuthorityKind.ByOrder, head), "Trưởng phòng");
    }

    private async Task<StoredOutgoingPreparation?> LoadAsync(string id, string preparationId, CancellationToken cancellationToken)
    {
        var blob = await files.BlobAsync(OutgoingFiles.Preparation(id, preparationId), cancellationToken);
        try
        {
            return (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToObjectFromJson<StoredOutgoingPreparation>(Json);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
