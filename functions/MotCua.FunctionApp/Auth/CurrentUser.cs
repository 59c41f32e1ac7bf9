using System.Security.Claims;

namespace MotCua.FunctionApp.Auth;

/// <summary>
/// The signed-in user as the token says: who, which roles, which unit (officials only). The first
/// role is the one the one-stop workflow acts in; a person may hold more (a commune chairman
/// approves dossiers and directs correspondence as the agency's leader).
/// </summary>
public sealed record CurrentUser(string Id, string Name, string Role, string? Unit, IReadOnlyList<string>? OtherRoles = null)
{
    public IEnumerable<string> AllRoles => OtherRoles is null ? [Role] : [Role, .. OtherRoles];

    public bool HasRole(string role) => Role == role || (OtherRoles?.Contains(role) ?? false);

    public bool IsOfficial => AllRoles.Any(Roles.Officials.Contains);

    public MotCua.Domain.Workflow.Actor ToActor() => new(Id, Role, Unit);

    public static CurrentUser From(ClaimsPrincipal principal)
    {
        var roles = principal.FindAll(MotCuaClaims.Role).Concat(principal.FindAll(ClaimTypes.Role)).Select(c => c.Value).Distinct().ToList();
        return new(
            principal.FindFirstValue(MotCuaClaims.Subject) ?? principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty,
            principal.FindFirstValue(MotCuaClaims.Name) ?? string.Empty,
            roles.FirstOrDefault() ?? string.Empty,
            principal.FindFirstValue(MotCuaClaims.Unit),
            roles.Count > 1 ? roles[1..] : null);
    }
}
