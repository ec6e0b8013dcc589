using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Otklik.Core.Requesters;

namespace Otklik.Data.Configurations;

internal sealed class RateBucketConfiguration : IEntityTypeConfiguration<RateBucket>
{
    public void Configure(EntityTypeBuilder<RateBucket> b)
    {
        b.ToTable("rate_buckets");
        b.HasKey(r => r.RequesterKey);
        b.Property(r => r.RequesterKey).HasMaxLength(RequesterAddress.MaxValueLength + 16);
        b.Property(r => r.Tokens);
        // Two nodes (or processes on one SQLite file) that both read the bucket cannot both spend it.
        b.Property(r => r.UpdatedAt).IsConcurrencyToken();
    }
}
