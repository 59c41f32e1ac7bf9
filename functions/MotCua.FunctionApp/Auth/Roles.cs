namespace MotCua.FunctionApp.Auth;

public static class Roles
{
    public const string Citizen = "citizen";
    public const string Clerk = "clerk";
    public const string Specialist = "specialist";
    public const string Chairman = "chairman";
    public const string Admin = "admin";

    public static readonly string[] Officials = [Clerk, Specialist, Chairman];
}

public static class MotCuaClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string Unit = "unit";
}
