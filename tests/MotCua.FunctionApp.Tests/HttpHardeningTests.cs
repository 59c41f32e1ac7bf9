using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

/// <summary>What every response says about the server, caching and content, and what refusals reveal.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HttpHardeningTests
{
    [Theory]
    [InlineData(HostingMode.Standalone)]
    [InlineData(HostingMode.CustomHandler)]
    public async Task Responses_OfTheApi_NameNoServerAreNotCachedAndNotSniffed(HostingMode mode)
    {
        await using var app = await TestApp.StartAsync(mode);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        var requests = new (string What, HttpRequestMessage Request)[]
        {
            ("dossier with the PIN", app.Request(HttpMethod.Get, $"/api/dossiers/{submitted.Code}", Users.Citizen)),
            ("public lookup", app.Request(HttpMethod.Get, $"/api/public/dossiers/{submitted.Code}?pin={submitted.LookupPin}", null)),
            ("problem", app.Request(HttpMethod.Get, "/api/dossiers/not-a-code", Users.Citizen)),
            ("no token", app.Request(HttpMethod.Get, $"/api/dossiers/{submitted.Code}", null)),
            ("health", app.Request(HttpMethod.Get, "/api/health", null)),
        };

        foreach (var (what, request) in requests)
        {
            using var response = await app.Http.SendAsync(request);
            Assert.False(response.Headers.Contains("Server"), $"{what}: Server: {string.Join(",", response.Headers.Server)}");
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", $"{what}: no nosniff");
            Assert.True(response.Headers.CacheControl?.NoStore == true, $"{what}: Cache-Control {response.Headers.CacheControl}");
        }

        using var openApi = await app.Http.GetAsync("/openapi/v1.json");
        Assert.False(openApi.Headers.Contains("Server"));
        Assert.Equal("nosniff", openApi.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Submit_UnknownMember_ProblemNamesTheFieldButNoType()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        var json = """{"procedureCode":"1.001193","receivingUnit":"000.20.30.H56","applicant":{"fullName":"Nguyễn Thị Hoa","idNumber":"001190012345","nickname":"Hoa"}}""";

        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Post, "/api/dossiers", Users.Citizen, Submission.Valid(json).ToContent()));

        await AssertMalformedJsonAsync(response, "applicant.nickname");
    }

    [Fact]
    public async Task Act_WrongTypedMember_ProblemNamesTheFieldButNoType()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        var request = app.Request(HttpMethod.Post, $"/api/dossiers/{submitted.Code}/actions/accept", Users.Clerk,
            new StringContent("""{"comment":42}""", Encoding.UTF8, "application/json"));
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");

        using var response = await app.Http.SendAsync(request);

        await AssertMalformedJsonAsync(response, "comment", "invalid-member-value");
    }

    [Theory]
    [InlineData("/api/units/000.20.30.H56/statistics?from=2026-13-01&to=2026-12-31", "from")]
    [InlineData("/api/worklist?mine=perhaps", "mine")]
    public async Task Query_UnreadableParameter_ProblemNamesItButNoType(string path, string parameter)
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);

        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, path, Users.Chairman));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal(parameter, json.RootElement.GetProperty("parameter").GetString());
        Assert.Contains($"'{parameter}'", json.RootElement.GetProperty("detail").GetString());
        foreach (var leak in new[] { "Nullable", "DateOnly", "Boolean", "System.", "bind" }) Assert.DoesNotContain(leak, body);
    }

    [Fact]
    public async Task Unauthorized_ExpiredToken_ChallengeSaysNotWhy()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        var past = DateTime.UtcNow.AddHours(-2);
        var expired = Sign(app, past, past.AddMinutes(30));

        using var response = await app.Http.SendAsync(WithToken(app, expired));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.DoesNotContain("error_description", challenge.ToString());
        Assert.DoesNotContain("expired", challenge.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unauthorized_TokenWithoutExpiry_IsRefused()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        var forever = Sign(app, DateTime.UtcNow.AddMinutes(-1), expires: null);
        var bounded = Sign(app, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1));

        using var refused = await app.Http.SendAsync(WithToken(app, forever));
        using var accepted = await app.Http.SendAsync(WithToken(app, bounded));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    private static async Task AssertMalformedJsonAsync(HttpResponseMessage response, string field, string type = "malformed-json")
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal("https://motcua.vn/problems/" + type, json.RootElement.GetProperty("type").GetString());
        Assert.Contains(field, json.RootElement.GetProperty("detail").GetString());
        foreach (var leak in new[] { "MotCua.", "System.", ".NET", "Exception" }) Assert.DoesNotContain(leak, body);
    }

    private static HttpRequestMessage WithToken(TestApp app, string token)
    {
        var request = app.Request(HttpMethod.Get, "/api/me/notifications/unread-count", null);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>A token signed with the app's own key, valid in every way but its lifetime.</summary>
    private static string Sign(TestApp app, DateTime notBefore, DateTime? expires)
    {
        var options = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var user = Users.Citizen;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity([new Claim(MotCuaClaims.Subject, user.Id), new Claim(MotCuaClaims.Name, user.Name), new Claim(MotCuaClaims.Role, user.Role)]),
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(options.LocalKeyBytes()), SecurityAlgorithms.HmacSha256),
        });
    }
}
