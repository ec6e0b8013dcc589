namespace Otklik.Core.Sla;

public enum LadderStep
{
    Warning,
    FirstResponseBreach,
    LegalQueue,
    SystematicallyUnanswered,
}
