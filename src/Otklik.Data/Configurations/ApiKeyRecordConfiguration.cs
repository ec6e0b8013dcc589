using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Otklik.Data.Configurations;

internal sealed class ApiKeyRecordConfiguration : IEntityTypeConfiguration<ApiKeyRecord>
{
    public void Configure(EntityTypeBuilder<ApiKeyRecord> b)
    {
        b.ToTable("api_keys");
        b.HasKey(k => k.Id);
        b.Property(k => k.Id).ValueGeneratedOnAdd();
        b.Property(k => k.Name).HasMaxLength(100);
        b.Property(k => k.Role).HasMaxLength(32);
        b.Property(k => k.Hash).HasMaxLength(64);
        b.Property(k => k.Prefix).HasMaxLength(16);
        b.Property(k => k.CreatedBy).HasMaxLength(100);
        b.HasIndex(k => k.Hash).IsUnique();
        b.HasIndex(k => k.Name);
    }
}
