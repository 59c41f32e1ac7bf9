using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.OpenApi;

/// <summary>
/// The API description the mobile apps generate their clients from (mobile-contracts/openapi.json): servers,
/// the bearer token and the operations that need none, tags by capability, and each problem type an
/// operation can answer with, by status, as a named schema.
/// </summary>
public static class ApiDescription
{
    /// <summary>Semantic version of the contract: a breaking change to the API bumps the major version (mobile-contracts/CHANGELOG.md).</summary>
    public const string Version = "2.3.0";

    public const string BearerScheme = "bearer";

    private const string ProblemMediaType = "application/problem+json";

    public static IServiceCollection AddApiDescription(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddOperationTransformer(DescribeOperation);
        o.AddDocumentTransformer(DescribeDocument);
    });

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "MotCua API";
        document.Info.Version = Version;
        document.Info.Description = "Một cửa điện tử: nộp và xử lý hồ sơ thủ tục hành chính, tài liệu, tra cứu và thông báo. "
            + "/ One-stop e-government: dossiers of administrative procedures, their documents, lookup and notifications. "
            + "Refusals are RFC 9457 problems (application/problem+json) in Vietnamese, or in English with Accept-Language: en; "
            + "each response lists the problem types (their `type` URIs) it can carry.";
        document.Servers = [new OpenApiServer { Url = "http://127.0.0.1:7071", Description = "The app on a developer's machine (scripts/start.sh)" }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from the identity provider (Auth:Authority); on a developer's machine, scripts/start.sh "
                    + "writes demo tokens for each role to .local/demo-tokens.env.",
            },
        };
        document.Tags = new HashSet<OpenApiTag>(ApiTags.All);
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.Remove("ProblemDetails");
        foreach (var problem in ProblemTypes.All) document.Components.Schemas[problem.SchemaName] = Schema(problem);
        document.Components.Examples = ProblemTypes.All.ToDictionary(p => p.SchemaName, p => (IOpenApiExample)Example(p));
        return Task.CompletedTask;
    }

    private static async Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var handler = metadata.OfType<MethodInfo>().First();
        operation.Tags = new HashSet<OpenApiTagReference> { new(ApiTags.For(EndpointsClass(handler)), context.Document) };
        // An anonymous operation says so with an empty requirement; the others need the bearer token.
        operation.Security = metadata.OfType<IAllowAnonymous>().Any()
            ? [new OpenApiSecurityRequirement()]
            : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
        if (metadata.OfType<FileBody>().FirstOrDefault() is { } file && operation.RequestBody is null)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [file.ContentType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                },
            };
        }
        if (metadata.OfType<JsonRequestBody>().FirstOrDefault() is { } json && operation.RequestBody is null)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(json.Type, null, cancellationToken) },
                },
            };
        }
        DescribeProblems(operation, ProblemsOf(operation, metadata), context.Document);
        DescribeHeaders(operation);
        operation.ExternalDocs = operation.OperationId switch
        {
            "TakeAction" => new OpenApiExternalDocs
            {
                Description = "How a phone signs an approval or a send-back (the statement, the key, the signature member).",
                Url = new Uri("approval-signature.md", UriKind.Relative),
            },
            "RegisterDevice" or "ListNotifications" => new OpenApiExternalDocs
            {
                Description = "The push message a registered phone receives (JSON Schema), and its deep link into the inbox.",
                Url = new Uri("push-payload.schema.json", UriKind.Relative),
            },
            _ => operation.ExternalDocs,
        };
        foreach (var example in ApiExamples.For(operation.OperationId)) example.Apply(operation);
    }

    /// <summary>
    /// The problem types an operation can answer with: those its endpoint declares (<see cref="DeclaredProblemsExtensions.ProducesProblems"/>),
    /// with 401 when it needs the bearer token and 403 when an authorisation policy guards it. An endpoint that declares none is
    /// described by every problem type of each error status it lists.
    /// </summary>
    private static List<ProblemType> ProblemsOf(OpenApiOperation operation, IList<object> metadata)
    {
        var implied = new List<ProblemType>();
        if (!metadata.OfType<IAllowAnonymous>().Any()) implied.Add(ProblemTypes.Unauthorized);
        if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null || a.Roles is not null)) implied.Add(ProblemTypes.AccessDenied);
        var declared = metadata.OfType<DeclaredProblems>().SelectMany(d => d.Types).ToList();
        if (declared.Count == 0)
        {
            declared = [.. (operation.Responses ?? []).Keys
                .Select(code => int.TryParse(code, out var status) ? status : 0)
                .Where(status => status >= 400)
                .SelectMany(ProblemTypes.WithStatus)];
        }
        return [.. implied.Concat(declared).Distinct()];
    }

    /// <summary>One response per status the problem types have, each naming its types as a schema (a oneOf when there are several).</summary>
    private static void DescribeProblems(OpenApiOperation operation, List<ProblemType> problems, OpenApiDocument? document)
    {
        var responses = operation.Responses ??= [];
        var statuses = problems.Select(p => p.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var undeclared = responses.Keys.Where(code => code.StartsWith('4') && !statuses.Contains(code)).ToList();
        if (undeclared.Count > 0)
            throw new InvalidOperationException($"{operation.OperationId} lists {string.Join(", ", undeclared)} but declares no problem type for it.");
        foreach (var group in problems.GroupBy(p => p.Status))
        {
            var code = group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!responses.TryGetValue(code, out var existing) || existing is not OpenApiResponse response)
            {
                response = new OpenApiResponse { Description = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(group.Key) };
                responses[code] = response;
            }
            var types = group.ToList();
            response.Description = $"{response.Description}. Problem types: " + string.Join("; ", types.Select(t => $"{t.Uri} ({t.TitleVi} / {t.TitleEn})"));
            response.Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemMediaType] = new()
                {
                    Schema = types.Count == 1
                        ? new OpenApiSchemaReference(types[0].SchemaName, document)
                        : new OpenApiSchema { OneOf = [.. types.Select(t => (IOpenApiSchema)new OpenApiSchemaReference(t.SchemaName, document))] },
                    Examples = types.ToDictionary(t => t.SchemaName, t => (IOpenApiExample)new OpenApiExampleReference(t.SchemaName, document)),
                },
            };
        }
        var ordered = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        responses.Clear();
        foreach (var (code, response) in ordered) responses[code] = response;
    }

    /// <summary>
    /// The headers handlers read or write themselves: versions travel as ETags (<see cref="Hosting.IfMatch"/>), and a
    /// submission may carry an Idempotency-Key (<see cref="Dossiers.SubmissionKeys"/>).
    /// </summary>
    private static void DescribeHeaders(OpenApiOperation operation)
    {
        var responses = operation.Responses ?? [];
        // Those that answer 428 refuse a request without If-Match; publishing a procedure takes it when there is one.
        if (responses.ContainsKey("428") || responses.ContainsKey("412"))
        {
            var required = responses.ContainsKey("428");
            Header(operation, "If-Match", required, required
                ? "The version the change is based on: the ETag of the dossier as you last read it (\"7\")."
                : "The version you edited (\"0\" for a new one); without it, the change applies to whatever is current.");
        }
        if (operation.OperationId == "SubmitDossier")
        {
            Header(operation, Dossiers.SubmissionKeys.Header, false,
                "A key of the caller's choosing for this submission: a retry with the same key returns the dossier the first attempt created (200) instead of a second one.");
        }
        if (operation.OperationId is "GetDossier" or "TakeAction" && responses.TryGetValue("200", out var ok) && ok is OpenApiResponse r)
        {
            r.Headers ??= new Dictionary<string, IOpenApiHeader>();
            r.Headers["ETag"] = new OpenApiHeader
            {
                Description = "The dossier's version as an ETag (\"7\"): send it back as If-Match with the next action.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }
    }

    private static void Header(OpenApiOperation operation, string name, bool required, string description)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Header,
            Required = required,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
    }

    /// <summary>The static class a handler belongs to, through the closure classes the compiler makes for lambdas.</summary>
    private static Type EndpointsClass(MethodInfo handler)
    {
        var type = handler.DeclaringType!;
        while (type.IsDefined(typeof(CompilerGeneratedAttribute)) && type.DeclaringType is { } outer) type = outer;
        return type;
    }

    /// <summary>A problem of the type as the app writes it in Vietnamese, without the detail that depends on the request.</summary>
    private static OpenApiExample Example(ProblemType problem) => new()
    {
        Summary = $"{problem.TitleVi} / {problem.TitleEn}",
        Value = new JsonObject { ["type"] = problem.Uri, ["title"] = problem.TitleVi, ["status"] = problem.Status },
    };

    private static OpenApiSchema Schema(ProblemType problem)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(problem.Uri)], Description = "The problem type." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = $"\"{problem.TitleVi}\", or \"{problem.TitleEn}\" in English; a few types word it to the case." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Enum = [JsonValue.Create(problem.Status)], Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What happened in this request, in the same language as the title." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's path." },
        };
        foreach (var member in problem.Members)
        {
            var type = member.JsonType switch { "integer" => JsonSchemaType.Integer, "object" => JsonSchemaType.Object, "array" => JsonSchemaType.Array, _ => JsonSchemaType.String };
            properties[member.Name] = new OpenApiSchema
            {
                Type = member.Nullable ? type | JsonSchemaType.Null : type,
                Description = member.Description,
                Items = member.ItemsJsonType is null ? null : new OpenApiSchema { Type = member.ItemsJsonType == "object" ? JsonSchemaType.Object : JsonSchemaType.String },
            };
        }
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Title = problem.TitleEn,
            Description = $"{problem.Uri}: {problem.TitleVi} / {problem.TitleEn} (HTTP {problem.Status}).",
            Properties = properties,
            Required = new HashSet<string> { "type", "title", "status" },
        };
    }
}

/// <summary>An example body for an operation's request or one of its responses, written as the API's own types so it cannot drift from them.</summary>
public sealed record ApiExample(int? Status, object Body)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Apply(OpenApiOperation operation)
    {
        var node = JsonSerializer.SerializeToNode(Body, Body.GetType(), Json);
        var content = Status is { } status
            ? (operation.Responses?.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true ? response.Content : null)
            : operation.RequestBody?.Content;
        if (content is null) throw new InvalidOperationException($"{operation.OperationId} has no {(Status is null ? "request body" : $"{Status} response")} for its example.");
        foreach (var media in content.Values.OfType<OpenApiMediaType>())
        {
            media.Example = node;
        }
    }
}

/// <summary>
/// A raw file body the handler reads and checks itself, for the description only: unlike <c>Accepts</c> it sets no
/// routing constraint, whose 415 for another content type would ask an anonymous caller to sign in first.
/// </summary>
public sealed record FileBody(string ContentType);

/// <summary>A JSON body of <paramref name="Type"/> that an anonymous endpoint reads and checks itself; described as <see cref="FileBody"/> is, for the same reason.</summary>
public sealed record JsonRequestBody(Type Type);
