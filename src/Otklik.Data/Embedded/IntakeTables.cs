using Microsoft.EntityFrameworkCore.Metadata;
using Otklik.Core.Appeals;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;

namespace Otklik.Data.Embedded;

/// <summary>The tables the intake reads and writes, as the EF Core model maps them, for one kind of store.</summary>
internal abstract class IntakeTables
{
    // What the gate matches an appeal against: the ticket's properties that Ticket.Facts() copies, named as
    // TicketFacts names them — a third of its columns, five of its seventeen timestamps. The whole ticket
    // is read only to change it.
    private static readonly string[] s_ticketFacts =
        [.. typeof(Otklik.Core.Gate.TicketFacts).GetConstructors().Single().GetParameters().Select(p => p.Name!)];

    protected IntakeTables(IModel model, RowSource source)
    {
        Requesters = new RowMap<Requester>(model, source);
        Identities = new RowMap<Identity>(model, source);
        Orders = new RowMap<Order>(model, source);
        ListedOrders = Orders.Only([nameof(Order.Number), nameof(Order.AccountId), nameof(Order.Status), nameof(Order.CreatedAt)]);
        Appeals = new RowMap<Appeal>(model, source);
        Tickets = new RowMap<Ticket>(model, source);
        TicketFacts = Tickets.Only(s_ticketFacts);
        Events = new RowMap<TicketEvent>(model, source);
        Messages = new RowMap<TicketMessage>(model, source);
        Buckets = new RowMap<RateBucket>(model, source);
    }

    public RowMap<Requester> Requesters { get; }
    public RowMap<Identity> Identities { get; }
    public RowMap<Order> Orders { get; }

    /// <summary>An account's orders as the gate lists them; the one an appeal is about is then read whole.</summary>
    public RowMap<Order> ListedOrders { get; }
    public RowMap<Appeal> Appeals { get; }
    public RowMap<Ticket> Tickets { get; }

    /// <summary>A ticket as the gate sees it (<see cref="Ticket.Facts"/>): the other columns keep their defaults.</summary>
    public RowMap<Ticket> TicketFacts { get; }
    public RowMap<TicketEvent> Events { get; }
    public RowMap<TicketMessage> Messages { get; }
    public RowMap<RateBucket> Buckets { get; }
}
