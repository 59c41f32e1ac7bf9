using MotCua.Domain.Workflow;

namespace MotCua.FunctionApp.Auth;

public static class Roles
{
    public const string Citizen = ActorRoles.Citizen;
    public const string Clerk = ActorRoles.Clerk;
    public const string Specialist = ActorRoles.Specialist;
    public const string Chairman = ActorRoles.Chairman;
    public const string Admin = ActorRoles.Admin;

    public static readonly string[] Officials = [Clerk, Specialist, Chairman];
}

public static class MotCuaClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string Unit = "unit";
}
