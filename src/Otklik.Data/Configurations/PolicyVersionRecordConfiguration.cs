using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Otklik.Data.Configurations;

internal sealed class PolicyVersionRecordConfiguration : IEntityTypeConfiguration<PolicyVersionRecord>
{
    public void Configure(EntityTypeBuilder<PolicyVersionRecord> b)
    {
        b.ToTable("policy_versions");
        b.HasKey(p => p.Id);
        b.Property(p => p.Id).ValueGeneratedOnAdd();
        b.Property(p => p.Version).HasMaxLength(64);
        b.Property(p => p.Json).HasMaxLength(1_000_000);
        b.Property(p => p.ActivatedBy).HasMaxLength(100);
        b.Property(p => p.Source).HasMaxLength(16);
        // A version string names one document: a changed policy needs a new version.
        b.HasIndex(p => p.Version).IsUnique();
    }
}
