using Otklik.Core.Appeals;

namespace Otklik.Application.Appeals;

public enum IntakeStatus
{
    Created,
    Replayed,
    Conflict,
}

public sealed record IntakeResult(IntakeStatus Status, Appeal? Appeal, Decision? Decision);
