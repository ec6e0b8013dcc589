using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Otklik.Core.Requesters;

namespace Otklik.Data.Configurations;

internal sealed class IdentityConfiguration : IEntityTypeConfiguration<Identity>
{
    public void Configure(EntityTypeBuilder<Identity> b)
    {
        b.ToTable("identities");
        b.HasKey(i => new { i.Kind, i.Value });
        b.Property(i => i.Value).HasMaxLength(RequesterAddress.MaxValueLength);
        b.Property(i => i.AccountId).HasMaxLength(Requester.MaxIdLength);
        b.HasIndex(i => i.AccountId);
    }
}
