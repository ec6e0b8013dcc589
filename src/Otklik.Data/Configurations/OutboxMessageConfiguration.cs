using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Otklik.Data.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("outbox");
        b.HasKey(o => o.Id);
        b.Property(o => o.Id).ValueGeneratedOnAdd();
        b.Property(o => o.TicketId).HasMaxLength(32);
        b.Property(o => o.Channel).HasMaxLength(16);
        b.Property(o => o.Text).HasMaxLength(10_000);
        b.Property(o => o.LastError).HasMaxLength(500);
        b.HasIndex(o => new { o.DeliveredAt, o.NextAttemptAt });
    }
}
