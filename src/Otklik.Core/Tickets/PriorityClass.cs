namespace Otklik.Core.Tickets;

/// <summary>P1 is the most urgent. The numeric order matters: raising a class lowers the number.</summary>
public enum PriorityClass
{
    P1 = 1,
    P2 = 2,
    P3 = 3,
    P4 = 4,
}

public static class PriorityClassExtensions
{
    public static PriorityClass Raise(this PriorityClass priority) =>
        priority == PriorityClass.P1 ? PriorityClass.P1 : (PriorityClass)((int)priority - 1);
}
