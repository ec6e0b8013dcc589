using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Otklik.Core.Orders;
using Otklik.Core.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;

namespace Otklik.Data.Configurations;

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> b)
    {
        b.ToTable("tickets");
        b.HasKey(t => t.Seq);
        b.Property(t => t.Seq).ValueGeneratedOnAdd();
        b.Property(t => t.TicketId).HasMaxLength(32);
        b.Property(t => t.AccountId).HasMaxLength(Requester.MaxIdLength);
        b.Property(t => t.RequesterKey).HasMaxLength(RequesterAddress.MaxValueLength + 16);
        b.Property(t => t.OrderNumber).HasMaxLength(Order.MaxNumberLength);
        b.Property(t => t.ProblemType).HasMaxLength(ProblemTypeDefinition.MaxCodeLength);
        b.Property(t => t.FollowUpOf).HasMaxLength(32);
        b.Property(t => t.TextStems).HasMaxLength(Ticket.MaxStemsLength);
        b.Property(t => t.Version).IsConcurrencyToken();
        b.Ignore(t => t.Number);
        b.HasIndex(t => t.TicketId).IsUnique();
        // As for appeals, an account's tickets are found by the requester key "account:" + id. Ordered by last
        // change within a requester: the gate asks for a requester's newest tickets, and with the status second
        // SQLite sorted them in a temporary b-tree of its own for every appeal (a pager and page cache opened
        // and torn down each time). A requester has few tickets, so a filter on status reads them all anyway.
        b.HasIndex(t => new { t.RequesterKey, t.UpdatedAt });
        // A queue's list, with a status filter or without, newest first: read in index order in either store
        // (SQLite's entries of one key follow the row id; PostgreSQL's would be sorted after a full read).
        b.HasIndex(t => new { t.Status, t.Queue, t.Seq });
        b.HasIndex(t => new { t.Queue, t.Seq });
        // The dashboard's compliance figures are over the tickets opened in its range.
        b.HasIndex(t => t.CreatedAt);
        b.HasMany(t => t.Messages).WithOne().HasForeignKey(m => m.TicketSeq).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(t => t.Messages).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasMany(t => t.Events).WithOne().HasForeignKey(e => e.TicketSeq).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(t => t.Events).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Property(t => t.ClaimOfferReason).HasMaxLength(64);
        b.Property(t => t.Assignee).HasMaxLength(AgentAccount.MaxNameLength);
        b.Property(t => t.LegalArticle).HasMaxLength(16);
        b.Property(t => t.PenaltyPercentPerDay).HasPrecision(6, 3);
        b.Property(t => t.PriceRub).HasPrecision(14, 2);
        // The SLA sweeper's scans: active tickets by due time.
        b.HasIndex(t => new { t.Status, t.FirstResponseDue });
        b.HasIndex(t => new { t.Status, t.LegalDeadline });
    }
}
