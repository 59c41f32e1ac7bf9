using System.Net;
using System.Security.Cryptography.X509Certificates;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.FunctionApp.Tests.Signing;
using static MotCua.FunctionApp.Tests.Correspondence.OutgoingFlow;
using Answer = MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi.Answer;

namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>
/// A deployment that signs outgoing documents: a test PKI the verifier trusts, the agency's seal key,
/// and the people of the commune who answer the ward's letters.
/// </summary>
public sealed class OutgoingSetup : IDisposable
{
    public static readonly CurrentUser CommuneOfficer = new("officer-777", "Phan Thị Mai", Roles.Officer, Commune);
    public static readonly CurrentUser CommuneChairman = new("chairman-777", "Ngô Văn Bình", Roles.Leader, Commune);

    private readonly string _folder = Directory.CreateTempSubdirectory("motcua-outgoing-").FullName;

    public TestPki Pki { get; } = TestPki.Create(DateTimeOffset.UtcNow);

    public async Task<TestApp> StartAsync(Dictionary<string, string?>? extra = null, HostingMode mode = HostingMode.Standalone,
        Action<IServiceCollection>? services = null)
    {
        var trust = Path.Combine(_folder, "trust");
        if (!Directory.Exists(trust)) Pki.WriteTrustFolder(trust);
        var sealFile = Path.Combine(_folder, "seal.p12");
        if (!File.Exists(sealFile))
        {
            var seal = Pki.IssueSigner("CN=UBND phường Nha Trang, O=UBND phường Nha Trang, C=VN", DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(2));
            await File.WriteAllBytesAsync(sealFile, seal.Export(X509ContentType.Pkcs12, "mật-khẩu"));
        }
        var settings = new Dictionary<string, string?>(extra ?? [])
        {
            ["Signatures:TrustFolder"] = trust,
            ["Signing:Seal:Pkcs12Path"] = sealFile,
            ["Signing:Seal:Pkcs12Password"] = "mật-khẩu",
        };
        return await TestApp.StartAsync(mode, settings, services: services);
    }

    /// <summary>Drafted by <paramref name="drafter"/>, submitted (to review when a department drafts it, passed by its head), signed on the signer's phone, numbered: the issued document.</summary>
    public static async Task<Answer> IssueAsync(TestApp app, CertifiedPhone phone, object form, CurrentUser? drafter = null, CurrentUser? signer = null,
        CurrentUser? clerk = null, string agency = Ward, byte[]? pdf = null)
    {
        drafter ??= Users.Officer;
        var drafted = await DraftAsync(app, form, drafter, agency);
        Assert.True(drafted.Status == HttpStatusCode.Created, drafted.Body.ToString());
        var id = drafted.Body.GetProperty("id").GetString()!;
        var put = Ok(await PutDocumentAsync(app, id, drafter, pdf ?? Pdf(), drafted.ETag));
        var submitted = Ok(await StepAsync(app, id, "submission", drafter, null, put.ETag));
        if (submitted.Body.GetProperty("status").GetProperty("code").GetString() == "in-review")
            submitted = Ok(await StepAsync(app, id, "review", Users.DepartmentHead, new { decision = "pass" }, submitted.ETag));
        var signature = await PhoneSignatureAsync(app, id, phone, signer ?? Users.Chairman);
        var signed = Ok(await StepAsync(app, id, "approval", signer ?? Users.Chairman, new { decision = "sign", signature }, submitted.ETag));
        Ok(await StepAsync(app, id, "issue", clerk ?? Users.RecordsClerk, null, signed.ETag));
        return await Eventually.GetAsync(async () =>
        {
            var answer = await GetAsync(app, id, clerk ?? Users.RecordsClerk);
            return answer.Body.GetProperty("status").GetProperty("code").GetString() == "issued" ? answer : null;
        }, $"{id} to be sealed and issued");
    }

    /// <summary>The recipient's incoming document, once the delivery wrote it.</summary>
    public static Task<string> DeliveredAsync(TestApp app, string id, string recipient) => Eventually.GetAsync(async () =>
    {
        var current = await GetAsync(app, id, Users.RecordsClerk);
        return Recipient(current, recipient).GetProperty("incomingId").GetString() is { } incomingId ? incomingId : null;
    }, $"the delivery of {id} to {recipient}");

    public static Answer Ok(Answer answer)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body.ToString());
        return answer;
    }

    public void Dispose()
    {
        Pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
