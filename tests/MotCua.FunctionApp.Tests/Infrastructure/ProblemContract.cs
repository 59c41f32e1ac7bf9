using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>
/// Holds every problem the app answers a test with to the committed contract (mobile-contracts/openapi.json): the
/// operation the request reached lists the status, and the problem's <c>type</c> among that status's problem types.
/// A refusal the contract does not describe fails the test that met it, so the contract cannot fall behind the code.
/// </summary>
public sealed class ProblemContractCheck(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode is >= 400 and < 500 && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var type = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))?["type"]?.GetValue<string>();
            if (ProblemContract.Undescribed(request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, type) is { } message)
                throw new Xunit.Sdk.XunitException(message);
        }
        return response;
    }
}

public static partial class ProblemContract
{
    private sealed record Operation(string Method, Regex Path, int Literals, string Id, IReadOnlyDictionary<int, IReadOnlySet<string>> Problems);

    private static readonly Lazy<IReadOnlyList<Operation>> Operations = new(Load);

    /// <summary>Why the contract does not describe this answer, or null when it does (or no operation of the contract took the request).</summary>
    public static string? Undescribed(string method, string path, int status, string? type)
    {
        var operation = Operations.Value.Where(o => o.Method == method && o.Path.IsMatch(path)).MaxBy(o => o.Literals);
        if (operation is null) return null;
        if (!operation.Problems.TryGetValue(status, out var types))
            return $"{operation.Id} answered {method} {path} with {status} ({type}), a status mobile-contracts/openapi.json does not list for it. " + Remedy;
        return type is not null && types.Contains(type) ? null
            : $"{operation.Id} answered {method} {path} with {status} {type}, a problem type mobile-contracts/openapi.json does not list for it "
                + $"(it lists {string.Join(", ", types)}). " + Remedy;
    }

    private const string Remedy = "Declare it with .ProducesProblems(…) on the endpoint and regenerate the contract (MOTCUA_UPDATE_CONTRACTS=1).";

    private static IReadOnlyList<Operation> Load()
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "mobile-contracts", "openapi.json")))!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        string TypeOf(JsonNode reference) => schemas[reference["$ref"]!.GetValue<string>().Split('/')[^1]]!["properties"]!["type"]!["enum"]![0]!.GetValue<string>();

        var operations = new List<Operation>();
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            var segments = template.Split('/');
            var pattern = new Regex("^" + string.Join("/", segments.Select(s => Parameter().IsMatch(s) ? "[^/]+" : Regex.Escape(s))) + "$");
            var literals = segments.Count(s => !Parameter().IsMatch(s));
            foreach (var (method, node) in item!.AsObject())
            {
                var problems = new Dictionary<int, IReadOnlySet<string>>();
                foreach (var (code, response) in node!["responses"]!.AsObject())
                {
                    if (response!["content"]?["application/problem+json"]?["schema"] is not { } schema) continue;
                    problems[int.Parse(code, System.Globalization.CultureInfo.InvariantCulture)] = (schema["oneOf"]?.AsArray().Select(r => TypeOf(r!)) ?? [TypeOf(schema)]).ToHashSet();
                }
                operations.Add(new Operation(method.ToUpperInvariant(), pattern, literals, node["operationId"]!.GetValue<string>(), problems));
            }
        }
        return operations;
    }

    [GeneratedRegex(@"^\{[^}]+\}$")]
    private static partial Regex Parameter();
}
