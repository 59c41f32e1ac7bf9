using System.Security.Claims;

namespace MotCua.FunctionApp.Auth;

/// <summary>The signed-in user as the token says: who, which role, which unit (officials only).</summary>
public sealed record CurrentUser(string Id, string Name, string Role, string? Unit)
{
    public bool IsOfficial => Roles.Officials.Contains(Role);

    public MotCua.Domain.Workflow.Actor ToActor() => new(Id, Role, Unit);

    public static CurrentUser From(ClaimsPrincipal principal) => new(
        principal.FindFirstValue(MotCuaClaims.Subject) ?? principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty,
        principal.FindFirstValue(MotCuaClaims.Name) ?? string.Empty,
        principal.FindFirstValue(MotCuaClaims.Role) ?? principal.FindFirstValue(ClaimTypes.Role) ?? string.Empty,
        principal.FindFirstValue(MotCuaClaims.Unit));
}
