using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MotCua.FunctionApp.Problems;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

/// <summary>The API description a mobile client is generated from says what the API does: numbers, sign-in, problem types.</summary>
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
        Assert.Equal(["Health", "PublicLookup"], anonymous.Order());
    }

    [Fact]
    public async Task ApiDescription_ProblemResponses_NameTheirProblemTypes()
    {
        var document = await DescriptionAsync();
        var schemas = document["components"]!["schemas"]!.AsObject();
        var lookup = Operations(document).Single(o => o["operationId"]!.GetValue<string>() == "PublicLookup");
        var refs = lookup["responses"]!["404"]!["content"]!["application/problem+json"]!["schema"]!["oneOf"]!.AsArray()
            .Select(r => r!["$ref"]!.GetValue<string>().Split('/')[^1]).ToList();
        Assert.Contains("LookupNotFoundProblem", refs);
        Assert.Equal("https://motcua.vn/problems/lookup-not-found", schemas["LookupNotFoundProblem"]!["properties"]!["type"]!["enum"]![0]!.GetValue<string>());
        Assert.NotNull(schemas["ActionNotAllowedNowProblem"]!["properties"]!["allowedActions"]);
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

    private static IEnumerable<JsonObject> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => o.Value!.AsObject()));

    private static IEnumerable<JsonNode> Nodes(JsonNode node) => node switch
    {
        JsonObject o => new[] { node }.Concat(o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Nodes)),
        JsonArray a => new[] { node }.Concat(a.OfType<JsonNode>().SelectMany(Nodes)),
        _ => [node],
    };
}
