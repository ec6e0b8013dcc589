using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Otklik.Core.Appeals;
using Otklik.Core.Tickets;

namespace Otklik.Data.Configurations;

internal sealed class TicketMessageConfiguration : IEntityTypeConfiguration<TicketMessage>
{
    public void Configure(EntityTypeBuilder<TicketMessage> b)
    {
        b.ToTable("ticket_messages");
        b.HasKey(m => m.Id);
        b.Property(m => m.Id).ValueGeneratedOnAdd();
        b.Property(m => m.Text).HasMaxLength(AppealRequest.MaxTextLength);
        b.Property(m => m.AppealId).HasMaxLength(32);
        b.Property(m => m.AuthorName).HasMaxLength(100);
        b.HasIndex(m => new { m.TicketSeq, m.At });
    }
}
