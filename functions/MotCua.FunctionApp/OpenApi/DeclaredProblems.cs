using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.OpenApi;

/// <summary>The problem types an endpoint can answer with, as it declares them for its description.</summary>
public sealed record DeclaredProblems(IReadOnlyList<ProblemType> Types);

public static class DeclaredProblemsExtensions
{
    /// <summary>
    /// Declares problem types the endpoint can answer with; the description lists them by status (each status a response)
    /// and nothing else. The sign-in refusals need no declaring: 401 for every endpoint that needs the bearer token, and 403
    /// for one with an authorisation policy. Tests check every problem an operation answers with against its declaration.
    /// </summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params IEnumerable<ProblemType> types) =>
        builder.WithMetadata(new DeclaredProblems([.. types]));
}
