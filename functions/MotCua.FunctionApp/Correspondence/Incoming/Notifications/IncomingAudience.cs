using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Auth;

namespace MotCua.FunctionApp.Correspondence.Incoming.Notifications;

/// <summary>Who hears of an incoming document, and why: one official (<see cref="UnitRoles"/> null), or the officials of a unit holding one of the roles.</summary>
public sealed record IncomingTarget(string Kind, string Id, IReadOnlyList<string>? UnitRoles = null)
{
    public static IncomingTarget Person(string kind, string userId) => new(kind, userId);

    public static IncomingTarget Heads(string kind, string department) => new(kind, department, [Roles.DepartmentHead]);
}

/// <summary>
/// Who is told of each step of an incoming document: the records clerks of an arrival, the leaders and
/// deputies of a registration, the lead, co-handlers and those informed of a direction (a department
/// by its heads), the official it is passed to, and whoever directed it of its end. Earlier targets
/// weigh more: a person named twice hears once, for the first reason.
/// </summary>
public static class IncomingAudience
{
    public static IReadOnlyList<IncomingTarget> Plan(IncomingEvent e, Func<string, bool> isDepartment)
    {
        IncomingTarget Named(string kind, string who) => isDepartment(who) ? IncomingTarget.Heads(kind, who) : IncomingTarget.Person(kind, who);
        return e.Action switch
        {
            "arrived" when e.To == (int)IncomingStatus.Arrived => [new(IncomingNoticeKinds.Arrived, e.Agency, [Roles.RecordsClerk])],
            "registered" => [new(IncomingNoticeKinds.Registered, e.Agency, [Roles.Leader, Roles.DeputyLeader])],
            "directed" or "redirected" =>
            [
                .. Handler(IncomingNoticeKinds.Lead, null, e.LeadUser, e.LeadUnit),
                .. e.CoHandlers.Select(c => Named(IncomingNoticeKinds.CoHandling, c)),
                .. e.Informed.Select(i => Named(IncomingNoticeKinds.Informed, i)),
            ],
            "assigned" when e.Assignee is { } assignee => [IncomingTarget.Person(IncomingNoticeKinds.Assigned, assignee)],
            "finished" when e.DirectedBy is { } director => [IncomingTarget.Person(IncomingNoticeKinds.Finished, director)],
            _ => [],
        };
    }

    /// <summary>Whoever works to the limit: the person it was passed to, else the lead person, else the lead department's heads.</summary>
    public static IReadOnlyList<IncomingTarget> Handler(string kind, string? assignee, string? leadUser, string? leadUnit) =>
        (assignee ?? leadUser, leadUnit) switch
        {
            ({ } person, _) => [IncomingTarget.Person(kind, person)],
            (null, { } unit) => [IncomingTarget.Heads(kind, unit)],
            _ => [],
        };

    /// <summary>Who a reminder goes to: the handler; past the limit, whoever directed it as well.</summary>
    public static IReadOnlyList<IncomingTarget> Reminded(string kind, IncomingDocumentEntity d) =>
    [
        .. Handler(kind, d.Assignee, d.LeadUser, d.LeadUnit),
        .. kind == IncomingNoticeKinds.Overdue && d.DirectedBy is { } director ? [IncomingTarget.Person(kind, director)] : Array.Empty<IncomingTarget>(),
    ];
}
