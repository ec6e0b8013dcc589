using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Otklik.Data.Configurations;

internal sealed class CapacityReportConfiguration : IEntityTypeConfiguration<CapacityReport>
{
    public void Configure(EntityTypeBuilder<CapacityReport> b)
    {
        b.ToTable("capacity");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedNever();
    }
}
