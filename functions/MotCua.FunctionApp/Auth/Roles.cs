using MotCua.Domain.Workflow;

namespace MotCua.FunctionApp.Auth;

public static class Roles
{
    public const string Citizen = ActorRoles.Citizen;
    public const string Clerk = ActorRoles.Clerk;
    public const string Specialist = ActorRoles.Specialist;
    public const string Chairman = ActorRoles.Chairman;
    public const string Admin = ActorRoles.Admin;

    /// <summary>Văn thư: receives, registers and returns incoming documents, numbers and seals outgoing ones.</summary>
    public const string RecordsClerk = "records-clerk";

    /// <summary>Lãnh đạo: directs incoming documents (bút phê).</summary>
    public const string Leader = "leader";

    /// <summary>Phó lãnh đạo: directs on behalf of an absent leader, and the history says so.</summary>
    public const string DeputyLeader = "deputy-leader";

    /// <summary>Trưởng phòng: passes a direction on to a person of the department.</summary>
    public const string DepartmentHead = "department-head";

    /// <summary>Chuyên viên: handles the documents assigned to them.</summary>
    public const string Officer = "officer";

    /// <summary>The one-stop roles, whose first role decides what they do with dossiers.</summary>
    public static readonly string[] OneStop = [Clerk, Specialist, Chairman];

    public static readonly string[] Correspondence = [RecordsClerk, Leader, DeputyLeader, DepartmentHead, Officer];

    public static readonly string[] Officials = [.. OneStop, .. Correspondence];
}

public static class MotCuaClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string Unit = "unit";
}
