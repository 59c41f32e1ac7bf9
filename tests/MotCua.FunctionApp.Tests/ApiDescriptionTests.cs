using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MotCua.FunctionApp.Problems;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

/// <summary>The API description a mobile client is generated from says what the API does: numbers, sign-in, problem types, examples.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class ApiDescriptionTests
{
    [Fact]
    public async Task ApiDescription_Numbers_AreNumbersOnly()
    {
        var document = await DescriptionAsync();
        var loose = Nodes(document).OfType<JsonObject>()
            .Where(o => o["type"] is JsonArray types && types.Any(t => t!.GetValue<string>() is "integer" or "number") && types.Any(t => t!.GetValue<string>() == "string"))
            .Select(o => o.GetPath()).ToList();
        Assert.True(loose.Count == 0, "Numbers that may also be strings: " + string.Join(", ", loose));
    }

    [Fact]
    public async Task ApiDescription_EveryOperation_SaysWhetherItNeedsTheBearerToken()
    {
        var document = await DescriptionAsync();
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());
        var anonymous = new List<string>();
        foreach (var operation in Operations(document))
        {
            var security = Assert.IsType<JsonArray>(operation["security"]);
            var requirement = Assert.IsType<JsonObject>(Assert.Single(security));
            if (requirement.Count == 0) anonymous.Add(operation["operationId"]!.GetValue<string>());
            else Assert.NotNull(requirement["bearer"]);
            Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), operation["operationId"] + " has no summary");
            Assert.False(string.IsNullOrWhiteSpace(operation["description"]?.GetValue<string>()), operation["operationId"] + " has no description");
        }
        Assert.Equal(["CheckIssuedDocument", "GetPublicProcedure", "Health", "ListPublicProcedures", "LookupDossier", "PublicLookup", "VerifyDocumentFile"],
            anonymous.Order());
    }

    [Fact]
    public async Task ApiDescription_ProblemResponses_NameTheProblemTypesOfTheirOperation()
    {
        var document = await DescriptionAsync();
        var schemas = document["components"]!["schemas"]!.AsObject();
        var lookup = Operations(document).Single(o => o["operationId"]!.GetValue<string>() == "PublicLookup");
        Assert.Equal(["200", "404", "429"], lookup["responses"]!.AsObject().Select(r => r.Key));
        Assert.Equal(["LookupNotFoundProblem"], ProblemSchemas(lookup, "404"));
        Assert.Equal(["TooManyLookupsProblem", "LookupPinTriesSlowedProblem"], ProblemSchemas(lookup, "429"));
        Assert.Equal("https://motcua.vn/problems/lookup-not-found", schemas["LookupNotFoundProblem"]!["properties"]!["type"]!["enum"]![0]!.GetValue<string>());
        var deadLetters = Operations(document).Single(o => o["operationId"]!.GetValue<string>() == "ListDeadLetters");
        Assert.Equal(["UnknownQueueProblem"], ProblemSchemas(deadLetters, "404"));
        Assert.Equal(["AccessDeniedProblem"], ProblemSchemas(deadLetters, "403"));
        var action = Operations(document).Single(o => o["operationId"]!.GetValue<string>() == "TakeAction");
        Assert.Equal(["ActionNotAllowedNowProblem", "ResultChangedProblem"], ProblemSchemas(action, "409"));
        Assert.NotNull(schemas["ActionNotAllowedNowProblem"]!["properties"]!["allowedActions"]);
    }

    /// <summary>Without a PIN the lookup finds nothing (404, as for a wrong one), so the description says the PIN is required.</summary>
    [Fact]
    public async Task ApiDescription_PublicLookup_RequiresThePin()
    {
        var document = await DescriptionAsync();
        var lookup = Operations(document).Single(o => o["operationId"]!.GetValue<string>() == "PublicLookup");
        var pin = lookup["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "pin")!;
        Assert.Equal("query", pin["in"]!.GetValue<string>());
        Assert.True(pin["required"]?.GetValue<bool>(), "the pin is not required in the description");
    }

    [Fact]
    public async Task ApiDescription_EveryBody_HasAnExample()
    {
        var document = await DescriptionAsync();
        var missing = new List<string>();
        foreach (var operation in Operations(document))
        {
            var id = operation["operationId"]!.GetValue<string>();
            foreach (var (media, content) in operation["requestBody"]?["content"]?.AsObject() ?? [])
            {
                if (content!["example"] is null) missing.Add($"{id} request ({media})");
            }
            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                foreach (var (media, content) in response!["content"]?.AsObject() ?? [])
                {
                    if (media.EndsWith("json", StringComparison.Ordinal) && content!["example"] is null && content["examples"] is null) missing.Add($"{id} {status} ({media})");
                }
            }
        }
        Assert.True(missing.Count == 0, "Bodies without an example: " + string.Join(", ", missing));
    }

    /// <summary>
    /// An endpoint that lists error statuses says which problem types it answers them with, or the description would list
    /// every type of each status.
    /// </summary>
    [Fact]
    public async Task Endpoints_ThatListErrorStatuses_DeclareTheirProblemTypes()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, seed: false);
        var undeclared = app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IEndpointNameMetadata>() is not null)
            .Where(e => e.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>().Any(r => r.StatusCode is >= 400 and < 500))
            .Where(e => e.Metadata.GetMetadata<OpenApi.DeclaredProblems>() is null)
            .Select(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IEndpointNameMetadata>()!.EndpointName)
            .Order().ToList();
        Assert.Empty(undeclared);
    }

    /// <summary>The check every test's client makes: an answer's problem type must be one the contract lists for the operation and status.</summary>
    [Fact]
    public void ProblemContract_RefusesAProblemTypeTheContractDoesNotListForTheOperation()
    {
        const string Lookup = "/api/public/dossiers/000.20.30.H56-261202-0001";
        Assert.Null(ProblemContract.Undescribed("GET", Lookup, 404, "https://motcua.vn/problems/lookup-not-found"));
        Assert.Contains("PublicLookup", ProblemContract.Undescribed("GET", Lookup, 404, "https://motcua.vn/problems/unknown-queue"));
        Assert.Contains("status", ProblemContract.Undescribed("GET", Lookup, 400, "https://motcua.vn/problems/malformed-request"));
        Assert.Null(ProblemContract.Undescribed("GET", "/api/admin/dead-letters/push-deliveries", 404, "https://motcua.vn/problems/unknown-queue"));
        Assert.Contains("MarkRead", ProblemContract.Undescribed("POST", "/api/me/notifications/abc/read", 404, "https://motcua.vn/problems/unknown-queue"));
        Assert.Null(ProblemContract.Undescribed("POST", "/api/me/notifications/read-all", 401, "https://tools.ietf.org/html/rfc9110#section-15.5.2"));
        Assert.Null(ProblemContract.Undescribed("GET", "/api/nowhere", 404, "https://tools.ietf.org/html/rfc9110#section-15.5.5"));
    }

    /// <summary>Every refusal the code writes (a status and a slug) is a problem type the description lists, with that status.</summary>
    [Fact]
    public void ProblemTypes_ListEveryRefusalTheCodeWrites()
    {
        var source = Path.Combine(RepositoryRoot.Path, "functions", "MotCua.FunctionApp");
        var written = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => Refusal().Matches(File.ReadAllText(f)).Select(m => (Status: int.Parse(m.Groups[1].Value), Slug: m.Groups[2].Value)))
            .Distinct().ToList();
        Assert.True(written.Count > 40, $"only {written.Count} refusals found: the pattern no longer matches the code");
        var listed = ProblemTypes.All.Select(p => (p.Status, p.Slug)).ToHashSet();
        var missing = written.Where(w => !listed.Contains(w)).ToList();
        Assert.True(missing.Count == 0, "Not in ProblemTypes.All: " + string.Join(", ", missing));
        var unused = ProblemTypes.All.Where(p => !p.Slug.StartsWith("https://", StringComparison.Ordinal) && !written.Contains((p.Status, p.Slug))).ToList();
        Assert.True(unused.Count == 0, "Listed but never written: " + string.Join(", ", unused.Select(p => p.Slug)));
    }

    [GeneratedRegex("""(?:new|ProblemException)\((\d{3}), "([a-z0-9-]+)",""")]
    private static partial Regex Refusal();

    private static async Task<JsonNode> DescriptionAsync()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, seed: false);
        return JsonNode.Parse(await app.Http.GetStringAsync("/openapi/v1.json"))!;
    }

    private static List<string> ProblemSchemas(JsonNode operation, string status)
    {
        var schema = operation["responses"]![status]!["content"]!["application/problem+json"]!["schema"]!;
        IEnumerable<JsonNode?> references = schema["oneOf"] is JsonArray oneOf ? oneOf : new[] { schema };
        return [.. references.Select(r => r!["$ref"]!.GetValue<string>().Split('/')[^1])];
    }

    private static IEnumerable<JsonObject> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => o.Value!.AsObject()));

    private static IEnumerable<JsonNode> Nodes(JsonNode node) => node switch
    {
        JsonObject o => new[] { node }.Concat(o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Nodes)),
        JsonArray a => new[] { node }.Concat(a.OfType<JsonNode>().SelectMany(Nodes)),
        _ => [node],
    };
}
