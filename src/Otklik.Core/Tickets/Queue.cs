namespace Otklik.Core.Tickets;

public enum Queue
{
    Buyers,
    Sellers,
    Escalations,
    Legal,
    Review,
}
