using MotCua.Domain.Deadlines;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Workflow;
using Xunit;
using static MotCua.Domain.Dossiers.DossierStatus;

namespace MotCua.Domain.Tests;

public sealed class DossierWorkflowTests
{
    private const string Ward = "000.20.30.H56";
    private const string Department = "000.00.15.H56";

    private static readonly WorkflowStep[] Steps =
    [
        new("Thụ lý", ActorRoles.Specialist, null, 0.6m),
        new("Phê duyệt", ActorRoles.Chairman, null, 0.2m),
        new("Trả kết quả", ActorRoles.Clerk, null, 0.2m),
    ];

    private static readonly WorkingCalendar Calendar = new(WorkingDaySchedule.Default, []);
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 8, 0, 0, VietnamTime.Offset);

    private static readonly Actor Clerk = new("clerk-1", ActorRoles.Clerk, Ward);
    private static readonly Actor Specialist = new("spec-1", ActorRoles.Specialist, Ward);
    private static readonly Actor Chairman = new("chair-1", ActorRoles.Chairman, Ward);
    private static readonly Actor Owner = new("citizen-1", ActorRoles.Citizen, null);
    private static readonly Actor OtherCitizen = new("citizen-2", ActorRoles.Citizen, null);
    private static readonly Actor OtherClerk = new("clerk-2", ActorRoles.Clerk, Department);
    private static readonly Actor OtherSpecialist = new("spec-2", ActorRoles.Specialist, Department);
    private static readonly Actor OtherChairman = new("chair-2", ActorRoles.Chairman, Department);
    private static readonly Actor Admin = new("admin-1", ActorRoles.Admin, null);
    private static readonly Actor[] Everyone = [Clerk, Specialist, Chairman, Owner, OtherCitizen, OtherClerk, OtherSpecialist, OtherChairman, Admin];

    private static DossierState Registered() => new(DossierStatus.Registered, Ward, Owner.Id, Ward);

    private static WorkflowContext At(DateTimeOffset now) => new(Steps, 5, Calendar, now);

    private static DossierState Do(DossierState state, Actor actor, DossierAction action, DateTimeOffset? now = null, string? comment = "lý do", string? target = null)
    {
        var decision = DossierWorkflow.Decide(state, At(now ?? Monday), actor, new ActionRequest(action, comment, target));
        return Assert.IsType<Applied>(decision).State;
    }

    [Fact]
    public void FullPath_FromAcceptanceToReturnedResult_FollowsTheSteps()
    {
        var s = Do(Registered(), Clerk, DossierAction.Accept);
        // From Monday 08:00 the week holds 39.5 working hours: 5 days end the next Monday at 08:00.
        Assert.Equal((Accepted, new DateTimeOffset(2026, 11, 30, 8, 0, 0, VietnamTime.Offset)), (s.Status, s.Overall!.DueAt));
        s = Do(s, Clerk, DossierAction.HandOver);
        Assert.Equal((InProgress, 0, Ward), (s.Status, s.Step, s.HolderUnit));
        s = Do(s, Specialist, DossierAction.SubmitForApproval);
        Assert.Equal(1, s.Step);
        s = Do(s, Chairman, DossierAction.SendBack);
        Assert.Equal(0, s.Step);
        s = Do(s, Specialist, DossierAction.SubmitForApproval);
        s = Do(s, Chairman, DossierAction.Approve);
        Assert.Equal(2, s.Step);
        s = Do(s, Clerk, DossierAction.Finish, Monday.AddHours(3));
        Assert.Equal((Resolved, Timeliness.BeforeDeadline), (s.Status, s.Timeliness));
        s = Do(s, Clerk, DossierAction.ReturnResult);
        Assert.Equal(Returned, s.Status);
        Assert.All(Everyone, a => Assert.Empty(DossierWorkflow.AllowedNow(s, At(Monday), a)));
    }

    [Fact]
    public void Supplement_PausesTheClockAndReceivingItResumes()
    {
        var s = Do(Do(Do(Registered(), Clerk, DossierAction.Accept), Clerk, DossierAction.HandOver), Specialist, DossierAction.RequestSupplement, Monday.AddDays(1));
        Assert.Equal((SupplementRequested, InProgress), (s.Status, s.ResumeTo));
        Assert.True(s.Overall!.IsPaused && s.StepDeadline!.IsPaused);

        var weekLater = Monday.AddDays(8);
        var resumed = Do(s, Clerk, DossierAction.ReceiveSupplement, weekLater);
        Assert.Equal(InProgress, resumed.Status);
        Assert.Equal(Calendar.WorkingTimeBetween(Monday.AddDays(1), s.Overall.DueAt), Calendar.WorkingTimeBetween(weekLater, resumed.Overall!.DueAt));
    }

    [Fact]
    public void LateFinish_IsClassifiedLate()
    {
        var s = Do(Do(Do(Do(Do(Registered(), Clerk, DossierAction.Accept), Clerk, DossierAction.HandOver), Specialist, DossierAction.SubmitForApproval),
            Chairman, DossierAction.Approve), Clerk, DossierAction.Finish, Monday.AddDays(14));
        Assert.Equal(Timeliness.Late, s.Timeliness);
    }

    [Fact]
    public void HandOverToAnotherUnit_MovesTheHolderAndItsSpecialistActs()
    {
        var s = Do(Do(Do(Registered(), Clerk, DossierAction.Accept), Clerk, DossierAction.HandOver), Specialist, DossierAction.HandOver, target: Department);
        Assert.Equal((InProgress, 0, Department), (s.Status, s.Step, s.HolderUnit));
        Assert.IsType<NotYours>(DossierWorkflow.Decide(s, At(Monday), Specialist, new ActionRequest(DossierAction.SubmitForApproval)));
        Assert.IsType<Applied>(DossierWorkflow.Decide(s, At(Monday), OtherSpecialist, new ActionRequest(DossierAction.SubmitForApproval)));
    }

    [Fact]
    public void WrongStatus_IsNotNowAndNamesWhatIsAllowed()
    {
        var decision = Assert.IsType<NotNow>(DossierWorkflow.Decide(Registered(), At(Monday), Clerk, new ActionRequest(DossierAction.Approve)));
        Assert.Equal(DossierStatus.Registered, decision.Status);
        Assert.Equal([DossierAction.Accept, DossierAction.Refuse, DossierAction.RequestSupplement], decision.AllowedNow);
    }

    [Fact]
    public void ReasonedActions_WithoutAReason_AreIncomplete() =>
        Assert.IsType<Incomplete>(DossierWorkflow.Decide(Registered(), At(Monday), Clerk, new ActionRequest(DossierAction.Refuse, "  ")));

    /// <summary>Who may take each action at the point of the path where it fits.</summary>
    public static TheoryData<DossierAction, string[]> Matrix => new()
    {
        { DossierAction.Accept, ["clerk-1"] },
        { DossierAction.Refuse, ["clerk-1"] },
        { DossierAction.HandOver, ["clerk-1"] },
        { DossierAction.RequestSupplement, ["clerk-1", "spec-1"] },
        { DossierAction.RequestFees, ["clerk-1", "spec-1"] },
        { DossierAction.SubmitForApproval, ["spec-1"] },
        { DossierAction.Approve, ["chair-1"] },
        { DossierAction.SendBack, ["chair-1"] },
        { DossierAction.Finish, ["clerk-1"] },
        { DossierAction.ReturnResult, ["clerk-1"] },
        { DossierAction.Withdraw, ["citizen-1"] },
        { DossierAction.Stop, ["chair-1"] },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Authorisation_EachActionIsTakenOnlyByItsRoleInItsUnit(DossierAction action, string[] allowed)
    {
        var state = action switch
        {
            DossierAction.Accept or DossierAction.Refuse or DossierAction.Withdraw => Registered(),
            DossierAction.HandOver => Do(Registered(), Clerk, DossierAction.Accept),
            DossierAction.RequestSupplement or DossierAction.RequestFees or DossierAction.SubmitForApproval or DossierAction.Stop =>
                Do(Do(Registered(), Clerk, DossierAction.Accept), Clerk, DossierAction.HandOver),
            DossierAction.Approve or DossierAction.SendBack =>
                Do(Do(Do(Registered(), Clerk, DossierAction.Accept), Clerk, DossierAction.HandOver), Specialist, DossierAction.SubmitForApproval),
            DossierAction.Finish => Do(Do(Do(Do(Registered(), Clerk, DossierAction.Accept), Clerk, DossierAction.HandOver), Specialist, DossierAction.SubmitForApproval), Chairman, DossierAction.Approve),
            DossierAction.ReturnResult => Do(Do(Do(Do(Do(Registered(), Clerk, DossierAction.Accept), Clerk, DossierAction.HandOver), Specialist, DossierAction.SubmitForApproval), Chairman, DossierAction.Approve), Clerk, DossierAction.Finish),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
        foreach (var actor in Everyone)
        {
            var decision = DossierWorkflow.Decide(state, At(Monday), actor, new ActionRequest(action, "lý do"));
            if (allowed.Contains(actor.Id)) Assert.IsType<Applied>(decision);
            else Assert.IsType<NotYours>(decision);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomActionSequences_NeverReachAnInvalidState(int seed)
    {
        var random = new Random(seed);
        var actions = Enum.GetValues<DossierAction>();
        for (var run = 0; run < 300; run++)
        {
            var state = Registered();
            var now = Monday;
            for (var i = 0; i < 40; i++)
            {
                now = now.AddMinutes(random.Next(1, 600));
                var actor = Everyone[random.Next(Everyone.Length)];
                var request = new ActionRequest(actions[random.Next(actions.Length)], random.Next(4) == 0 ? null : "lý do",
                    random.Next(6) == 0 ? Department : null);
                var allowedBefore = DossierWorkflow.AllowedNow(state, At(now), actor);
                var decision = DossierWorkflow.Decide(state, At(now), actor, request);
                if (decision is Applied applied)
                {
                    Assert.Contains(request.Action, allowedBefore);
                    Assert.Equal(state.Status, applied.Change.From);
                    state = applied.State;
                    AssertValid(state);
                }
                else if (decision is NotNow notNow)
                {
                    Assert.Equal(state.Status, notNow.Status);
                }
            }
        }
    }

    private static void AssertValid(DossierState s)
    {
        Assert.True(Enum.IsDefined(s.Status) && s.Status != Receiving);
        Assert.False(string.IsNullOrEmpty(s.HolderUnit));
        switch (s.Status)
        {
            case InProgress:
                Assert.InRange(s.Step, 0, Steps.Length - 1);
                Assert.NotNull(s.StepDeadline);
                Assert.False(s.StepDeadline.IsPaused);
                Assert.NotNull(s.Overall);
                break;
            case SupplementRequested or FeesRequested:
                Assert.NotNull(s.ResumeTo);
                Assert.True(s.Overall is null || s.Overall.IsPaused);
                break;
            case Accepted:
                Assert.NotNull(s.Overall);
                Assert.False(s.Overall.IsPaused);
                break;
            case Resolved or Returned:
                Assert.NotNull(s.FinishedAt);
                Assert.NotNull(s.Timeliness);
                break;
        }
        if (s.Status is RefusedAtIntake or Withdrawn or Stopped or Returned)
            Assert.All(Everyone, a => Assert.Empty(DossierWorkflow.AllowedNow(s, At(Monday), a)));
    }

    [Fact]
    public void Withdraw_OfACounterDossier_IsNoCitizensToTake()
    {
        var counter = Registered() with { OwnerId = "" };
        Assert.IsType<NotYours>(DossierWorkflow.Decide(counter, At(Monday), Owner with { Id = "" }, new ActionRequest(DossierAction.Withdraw, "x")));
    }

    [Fact]
    public void Finish_InAnotherUnit_SendsTheResultBackToTheReceivingDesk()
    {
        var s = Do(Do(Do(Registered(), Clerk, DossierAction.Accept), Clerk, DossierAction.HandOver), Specialist, DossierAction.SubmitForApproval);
        s = Do(Do(s, Chairman, DossierAction.Approve) with { HolderUnit = Department }, new Actor("clerk-3", ActorRoles.Clerk, Department), DossierAction.Finish);
        Assert.Equal((Resolved, Ward), (s.Status, s.HolderUnit));
    }
}
