using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi;

namespace MotCua.FunctionApp.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class CatalogTests
{
    private static object Form(decimal days, params (string Name, string Role)[] steps) => new
    {
        name = "Cấp giấy xác nhận thử nghiệm",
        field = "Thử nghiệm",
        receivingUnits = new[] { Demo.DemoData.NhaTrangWard },
        components = new[] { new { name = "Đơn đề nghị", original = true, mandatory = true, signatureRequired = false } },
        processingDays = days,
        fee = 50000,
        onlineLevel = "full",
        workflow = steps.Select(s => new { name = s.Name, role = s.Role, unit = (string?)null, share = 1m / steps.Length }).ToArray(),
    };

    private static async Task<HttpResponseMessage> PublishAsync(TestApp app, object form, string ifMatch, CurrentUser? user = null)
    {
        var request = app.Request(HttpMethod.Put, "/api/procedures/9.000123", user ?? Users.Admin, JsonContent.Create(form));
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await app.Http.SendAsync(request);
    }

    [Fact]
    public async Task Procedure_PublishedTwice_KeepsBothVersionsAndDossiersKeepTheirs()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone);
        using (var first = await PublishAsync(app, Form(4, ("Thụ lý", Roles.Specialist), ("Phê duyệt", Roles.Chairman), ("Trả kết quả", Roles.Clerk)), "\"0\""))
            Assert.Equal(1, JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32());
        var code = await SubmitRegisteredAsync(app, "9.000123");

        using (var forbidden = await PublishAsync(app, Form(2, ("Thụ lý", Roles.Specialist), ("Trả kết quả", Roles.Clerk)), "\"1\"", Users.Clerk))
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using (var second = await PublishAsync(app, Form(2, ("Thụ lý", Roles.Specialist), ("Trả kết quả", Roles.Clerk)), "\"1\""))
            Assert.Equal(2, JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32());
        using (var stale = await PublishAsync(app, Form(9, ("Thụ lý", Roles.Specialist), ("Trả kết quả", Roles.Clerk)), "\"1\""))
            Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);

        using var v1 = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/procedures/9.000123?version=1", Users.Clerk));
        Assert.Equal(3, JsonDocument.Parse(await v1.Content.ReadAsStringAsync()).RootElement.GetProperty("workflow").GetArrayLength());

        // The dossier received under version 1 still goes through its approval step.
        await DoAsync(app, code, "accept", Users.Clerk);
        await DoAsync(app, code, "hand-over", Users.Clerk);
        var view = await DoAsync(app, code, "submit-for-approval", Users.Specialist);
        Assert.Equal((1, "Phê duyệt"), (view.GetProperty("procedureVersion").GetInt32(), view.GetProperty("progress").GetProperty("stepName").GetString()));

        // A dossier received now follows version 2, which has no approval step.
        var newer = await SubmitRegisteredAsync(app, "9.000123");
        await DoAsync(app, newer, "accept", Users.Clerk);
        await DoAsync(app, newer, "hand-over", Users.Clerk);
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(app, newer, "submit-for-approval", Users.Specialist)).Status);
        Assert.Equal(2, (await GetAsync(app, newer, Users.Clerk)).Body.GetProperty("procedureVersion").GetInt32());
    }
}
