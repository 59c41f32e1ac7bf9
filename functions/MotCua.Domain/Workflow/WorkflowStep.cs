namespace MotCua.Domain.Workflow;

/// <summary>
/// One internal step of a procedure (inside status 4): who acts, in which unit (null: the receiving
/// unit), and the share of the whole processing time it may use.
/// </summary>
public sealed record WorkflowStep(string Name, string Role, string? Unit, decimal Share)
{
    public bool IsApproval => Role == ActorRoles.Chairman;
}

public static class ActorRoles
{
    public const string Citizen = "citizen";
    public const string Clerk = "clerk";
    public const string Specialist = "specialist";
    public const string Chairman = "chairman";
    public const string Admin = "admin";
}

/// <summary>Who acts: their id, role and unit (officials only).</summary>
public sealed record Actor(string Id, string Role, string? Unit);

public static class Workflows
{
    /// <summary>Problems with a workflow, empty when it can be used.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<WorkflowStep> steps)
    {
        var problems = new List<string>();
        if (steps.Count == 0) problems.Add("A workflow has at least one step.");
        if (steps.Count > 0 && steps[^1].IsApproval) problems.Add("The last step finishes the dossier, so it is not an approval.");
        if (steps.Count > 0 && steps[0].IsApproval) problems.Add("The first step handles the dossier, so it is not an approval.");
        if (steps.Any(s => s.Role is not (ActorRoles.Clerk or ActorRoles.Specialist or ActorRoles.Chairman)))
            problems.Add("Each step is acted on by a clerk, a specialist or a chairman.");
        if (steps.Any(s => s.Share <= 0) || steps.Count > 0 && Math.Abs(steps.Sum(s => s.Share) - 1m) > 0.0001m)
            problems.Add("Step shares are positive and add up to 1.");
        if (steps.Any(s => string.IsNullOrWhiteSpace(s.Name))) problems.Add("Every step has a name.");
        return problems;
    }
}
