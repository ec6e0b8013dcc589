using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Otklik.Core.Requesters;

namespace Otklik.Data.Configurations;

internal sealed class RequesterConfiguration : IEntityTypeConfiguration<Requester>
{
    public void Configure(EntityTypeBuilder<Requester> b)
    {
        b.ToTable("requesters");
        b.HasKey(r => r.AccountId);
        b.Property(r => r.AccountId).HasMaxLength(Requester.MaxIdLength);
        b.Property(r => r.Name).HasMaxLength(Requester.MaxNameLength);
        b.Property(r => r.Phone).HasMaxLength(32);
        b.Property(r => r.Email).HasMaxLength(RequesterAddress.MaxValueLength);
        b.Ignore(r => r.LastActivity);
        b.HasIndex(r => r.Phone);
        b.HasIndex(r => r.Email);
    }
}
