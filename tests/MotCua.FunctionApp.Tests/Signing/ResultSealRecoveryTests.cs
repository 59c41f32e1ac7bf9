using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using static MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi;

namespace MotCua.FunctionApp.Tests.Signing;

/// <summary>
/// The agency's seal fails after the person has signed: the result stays signed by the person only,
/// nothing is issued, and after a restart the dead-lettered step, replayed, issues it once.
/// </summary>
public sealed class ResultSealRecoveryTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TestPki _pki = TestPki.Create(Now);
    private readonly string _folder = Directory.CreateTempSubdirectory("motcua-seal-recovery-").FullName;

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_seal_that_fails_leaves_the_person_signed_result_and_a_replay_after_restart_issues_it_once()
    {
        var trust = Path.Combine(_folder, "trust");
        _pki.WriteTrustFolder(trust);
        var sealFile = Path.Combine(_folder, "seal.p12");
        var settings = new Dictionary<string, string?>
        {
            ["Signatures:TrustFolder"] = trust,
            ["Signing:Seal:Pkcs12Path"] = sealFile,
            ["Signing:Seal:Pkcs12Password"] = "mật-khẩu",
        };

        string code, prefix;
        await using (var first = await TestApp.StartAsync(settings: settings))
        {
            prefix = first.Prefix;
            using var phone = await CertifiedPhone.RegisterAsync(first, _pki, Users.Chairman);
            code = await ResultFlow.ReadyForResultAsync(first);
            await ResultFlow.AttachAsync(first, code, Users.Specialist, ResultFlow.ResultPdf(code));
            await DoAsync(first, code, "submit-for-approval", Users.Specialist);
            Assert.Equal(HttpStatusCode.OK, (await ResultFlow.ApproveAsync(first, code, phone)).Status);
            await DoAsync(first, code, "finish", Users.Clerk);

            // The seal's key file is missing: every delivery fails and the step is dead-lettered.
            await Eventually.GetAsync(async () =>
            {
                using var response = await first.Http.SendAsync(first.Request(HttpMethod.Get, "/api/admin/dead-letters/result-seal", Users.Admin));
                var text = await response.Content.ReadAsStringAsync();
                return text.Contains(code, StringComparison.Ordinal) ? text : null;
            }, "the dead-lettered seal step");
            Assert.Equal("person-signed", (await ResultFlow.ResultAsync(first, code, Users.Clerk)).GetProperty("stage").GetString());
            Assert.Equal(JsonValueKind.Undefined, (await ResultFlow.ResultAsync(first, code, Users.Citizen)).ValueKind);
            using var officialCopy = await first.Http.SendAsync(first.Request(HttpMethod.Get, $"/api/dossiers/{code}/result/file", Users.Clerk));
            Assert.Single((await Pdfsig.RunAsync(await officialCopy.Content.ReadAsByteArrayAsync(), skipCertificateValidation: true)).Signatures);
        }

        var seal = _pki.IssueSigner("CN=UBND phường Nha Trang, O=UBND phường Nha Trang, C=VN", Now.AddYears(-1), Now.AddYears(2));
        await File.WriteAllBytesAsync(sealFile, seal.Export(X509ContentType.Pkcs12, "mật-khẩu"));
        await using var second = await TestApp.StartAsync(settings: new(settings) { ["Storage:Prefix"] = prefix }, seed: false);
        using (var replay = await second.Http.SendAsync(second.Request(HttpMethod.Post, "/api/admin/dead-letters/result-seal/replay", Users.Admin)))
            Assert.Equal(HttpStatusCode.OK, replay.StatusCode);

        await Eventually.GetAsync(async () =>
        {
            var result = await ResultFlow.ResultAsync(second, code, Users.Citizen);
            return result.ValueKind == JsonValueKind.Object && result.GetProperty("stage").GetString() == "issued" ? "" : null;
        }, "the result issued after the replay");
        using var download = await second.Http.SendAsync(second.Request(HttpMethod.Get, $"/api/dossiers/{code}/result/file", Users.Citizen));
        var pdfsig = await Pdfsig.RunAsync(await download.Content.ReadAsByteArrayAsync(), skipCertificateValidation: true);
        Assert.Equal(2, pdfsig.Signatures.Count);
        Assert.All(pdfsig.Signatures, s => Assert.Equal("Signature is Valid.", s.SignatureValidation));

        // Told once, whatever the deliveries.
        var inbox = await Eventually.GetAsync(async () =>
        {
            using var response = await second.Http.SendAsync(second.Request(HttpMethod.Get, "/api/me/notifications", Users.Citizen));
            var text = await response.Content.ReadAsStringAsync();
            return text.Contains("đã được ký số", StringComparison.Ordinal) ? text : null;
        }, "the citizen's notification");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(inbox, $"Kết quả hồ sơ {System.Text.RegularExpressions.Regex.Escape(code)} đã được ký số"));
    }
}
