namespace Otklik.Core.Tickets;

public enum MessageAuthor
{
    Customer,
    Agent,
    System,
}
