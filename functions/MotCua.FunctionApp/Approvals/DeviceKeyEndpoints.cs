using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using MotCua.Domain.Text;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Approvals;

/// <param name="Certificate">
/// The key's X.509 certificate: base64 DER, or PEM with the key's certificate first and its issuers after it.
/// Required unless the server runs with the demo certificate authority, which then issues one.
/// </param>
public sealed record DeviceKeyForm(string DeviceName, string PublicKey, string? Certificate = null);

/// <summary>An official registers the public key of the phone that will sign their approvals, and revokes it when the phone is lost.</summary>
public static class DeviceKeyEndpoints
{
    public static IServiceCollection AddDeviceKeys(this IServiceCollection services) =>
        services.AddSingleton<DeviceKeys>().AddSingleton<ApprovalVerifier>().AddSingleton<DeviceCertificates>();

    public static IEndpointRouteBuilder MapDeviceKeys(this IEndpointRouteBuilder app)
    {
        app.MapFunction("RegisterDeviceKey", new HttpTrigger("POST", "me/device-keys"), RegisterAsync).Accepts<DeviceKeyForm>("application/json")
            .ProducesProblems([.. ProblemTypes.JsonBody, ProblemTypes.InvalidFields, ProblemTypes.Forbidden, ProblemTypes.DeviceCertificateRefused])
            .WithSummary("Register a device key")
            .WithDescription("Register a phone's ECDSA P-256 public key (SubjectPublicKeyInfo, base64) with its X.509 certificate, "
                + "which must be for that key, chain to a trusted certification authority, be valid now and not revoked (422 otherwise). "
                + "The certificate is kept with the key and embedded in the signatures the key makes.");
        app.MapFunction("ListDeviceKeys", new HttpTrigger("GET", "me/device-keys"), ListAsync)
            .WithSummary("List the signed-in user's device keys")
            .WithDescription("The phone keys registered by the signed-in user, revoked ones included, with when each was registered.");
        app.MapFunction("RevokeDeviceKey", new HttpTrigger("DELETE", "me/device-keys/{keyId}"), RevokeAsync).ProducesProblems(ProblemTypes.DeviceKeyNotFound)
            .WithSummary("Revoke a device key")
            .WithDescription("A revoked key signs nothing from now on; decisions it signed before stay verifiable.");
        return app;
    }

    private static async Task<Created<DeviceKeyView>> RegisterAsync(HttpRequest request, ClaimsPrincipal principal, DeviceKeys keys,
        DeviceCertificates certificates, CancellationToken cancellationToken)
    {
        var form = await JsonBody.ReadRequiredAsync<DeviceKeyForm>(request, JsonBody.SmallFormBytes, cancellationToken);
        var user = CurrentUser.From(principal);
        if (!user.IsOfficial) throw Forbidden("Chỉ cán bộ đăng ký khóa ký duyệt.", "Only officials register signing keys.");
        if (SafeText.Check("deviceName", form.DeviceName) is { } unsafeName) throw InvalidFields([unsafeName]);
        if (string.IsNullOrWhiteSpace(form.DeviceName) || form.DeviceName.Length > 100)
            throw BadRequest("deviceName", "Tên thiết bị bắt buộc, tối đa 100 ký tự.", "A device name is required, at most 100 characters.");
        var spki = new byte[form.PublicKey?.Length ?? 0];
        if (form.PublicKey is null || !Convert.TryFromBase64String(form.PublicKey, spki, out var length) || !IsP256(spki.AsSpan(0, length)))
            throw BadRequest("publicKey", "Khóa công khai phải là ECDSA P-256 dạng SubjectPublicKeyInfo (base64).", "The public key must be ECDSA P-256 SubjectPublicKeyInfo, base64.");
        var publicKey = spki[..length];
        var certificate = await certificates.ForKeyAsync(user, publicKey, form.Certificate, cancellationToken);
        var view = await keys.RegisterAsync(user.Id, form.DeviceName.Trim(), publicKey, certificate, cancellationToken);
        return TypedResults.Created($"{FunctionEndpoints.RoutePrefix}me/device-keys/{view.KeyId}", view);
    }

    private static async Task<Ok<IReadOnlyList<DeviceKeyView>>> ListAsync(ClaimsPrincipal principal, DeviceKeys keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.ListAsync(CurrentUser.From(principal).Id, cancellationToken));

    private static async Task<NoContent> RevokeAsync(string keyId, ClaimsPrincipal principal, DeviceKeys keys, CancellationToken cancellationToken)
    {
        if (keyId.Length > 64 || !keyId.All(char.IsAsciiHexDigitLower) || !await keys.RevokeAsync(CurrentUser.From(principal).Id, keyId, cancellationToken))
            throw new Problems.ProblemException(404, "device-key-not-found", "Không tìm thấy khóa", "Device key not found");
        return TypedResults.NoContent();
    }

    private static bool IsP256(ReadOnlySpan<byte> spki)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            return read == spki.Length && key.ExportParameters(false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
