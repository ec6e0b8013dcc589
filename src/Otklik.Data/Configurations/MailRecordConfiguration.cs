using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Otklik.Data.Configurations;

internal sealed class MailRecordConfiguration : IEntityTypeConfiguration<MailRecord>
{
    public void Configure(EntityTypeBuilder<MailRecord> b)
    {
        b.ToTable("mail_records");
        b.HasKey(m => m.MessageId);
        b.Property(m => m.MessageId).HasMaxLength(MailRecord.MaxMessageIdLength);
        b.Property(m => m.TicketId).HasMaxLength(32);
        b.Property(m => m.AppealId).HasMaxLength(40);
        b.Property(m => m.Address).HasMaxLength(320);
        b.Property(m => m.Subject).HasMaxLength(300);
        b.HasIndex(m => new { m.TicketId, m.At });
    }
}
