using Otklik.Core.Sla;
using Otklik.Core.Tickets;
using B = Otklik.Core.Tests.Gate.GateContextBuilder;

namespace Otklik.Core.Tests.Sla;

public sealed class EscalationLadderTests
{
    private static readonly DateTimeOffset s_created = B.Now;
    private static readonly DateTimeOffset s_due = B.Now.AddDays(2);

    private static Ticket Open()
    {
        var t = B.Ticket("100-1", "damaged_item", TicketStatus.Open);
        t.SetFirstResponseDue(s_created, s_due);
        return t;
    }

    private static readonly EscalationLadder.Facts s_none = new(0, 0);

    [Fact]
    public void Due_Before80Percent_Nothing() =>
        Assert.Empty(EscalationLadder.Due(Open(), s_created.AddHours(30), s_none));

    [Fact]
    public void Due_At80Percent_WarningOnce()
    {
        var t = Open();
        Assert.Equal([LadderStep.Warning], EscalationLadder.Due(t, s_created.AddHours(39), s_none));
        t.WarnFirstResponse(s_created.AddHours(39));
        Assert.Empty(EscalationLadder.Due(t, s_created.AddHours(40), s_none));
    }

    [Fact]
    public void Due_AfterTheDueTime_Breach_ThenTheNewDueTimeCounts()
    {
        var t = Open();
        var late = s_due.AddMinutes(1);
        Assert.Equal([LadderStep.FirstResponseBreach], EscalationLadder.Due(t, late, s_none));
        t.BreachFirstResponse(late, late.AddDays(1), "sorry");
        Assert.Equal(PriorityClass.P1, t.Priority);
        Assert.Equal(Queue.Escalations, t.Queue);
        Assert.Empty(EscalationLadder.Due(t, late.AddHours(1), new(1, 0)));
    }

    [Fact]
    public void Due_PendingOrReplied_FirstResponseClockDoesNotRun()
    {
        var replied = Open();
        replied.AddAgentMessage("Здравствуйте", false, "agent", s_created.AddHours(1));
        Assert.Empty(EscalationLadder.Due(replied, s_due.AddDays(3), s_none));
        var internalOnly = Open();
        internalOnly.AddAgentMessage("заметка", true, "agent", s_created.AddHours(1));
        Assert.Contains(LadderStep.FirstResponseBreach, EscalationLadder.Due(internalOnly, s_due.AddDays(3), s_none));
    }

    [Fact]
    public void Due_LegalDeadlineWithinTwoDays_LegalQueue_EvenWhenPending()
    {
        var t = Open();
        t.AddAgentMessage("Ответ", false, "agent", s_created.AddHours(1));
        t.ChangeStatus(TicketStatus.Pending, s_created.AddHours(2), (_, _) => 0, (d, _) => d);
        t.LegalDeadline = s_created.AddDays(10);
        Assert.Empty(EscalationLadder.Due(t, s_created.AddDays(7), s_none));
        Assert.Equal([LadderStep.LegalQueue], EscalationLadder.Due(t, s_created.AddDays(8).AddHours(1), s_none));
        t.QueueLegal(s_created.AddDays(8));
        Assert.Equal([LadderStep.SystematicallyUnanswered], EscalationLadder.Due(t, s_created.AddDays(11), s_none));
    }

    [Theory]
    [InlineData(2, 0, "first_response_breached_twice")]
    [InlineData(1, 3, "three_unanswered_appeals_in_14_days")]
    [InlineData(1, 2, null)]
    public void UnansweredReason_FollowsSla(int breaches, int unanswered, string? reason) =>
        Assert.Equal(reason, EscalationLadder.UnansweredReason(Open(), s_created.AddHours(1), new(breaches, unanswered)));

    [Fact]
    public void PenaltyRub_OnePercentPerWholeDayLate_StopsWhenSolved()
    {
        var t = Open();
        t.LegalDeadline = new DateTimeOffset(2026, 12, 7, 23, 59, 59, TimeSpan.FromHours(3));
        t.PriceRub = 4990;
        t.PenaltyPercentPerDay = 1;
        static DateOnly Local(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(TimeSpan.FromHours(3)).DateTime);
        Assert.Equal(0m, t.PenaltyRub(Local, new DateTimeOffset(2026, 12, 7, 20, 0, 0, TimeSpan.FromHours(3))));
        Assert.Equal(49.90m, t.PenaltyRub(Local, new DateTimeOffset(2026, 12, 8, 0, 30, 0, TimeSpan.FromHours(3))));
        t.ChangeStatus(TicketStatus.Solved, new DateTimeOffset(2026, 12, 10, 12, 0, 0, TimeSpan.FromHours(3)), (_, _) => 0, (d, _) => d);
        Assert.Equal(149.70m, t.PenaltyRub(Local, new DateTimeOffset(2026, 12, 20, 12, 0, 0, TimeSpan.FromHours(3))));
    }
}
