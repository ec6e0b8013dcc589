using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;

namespace Otklik.Data.Configurations;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.ToTable("orders");
        b.HasKey(o => o.Number);
        b.Property(o => o.Number).HasMaxLength(Order.MaxNumberLength);
        b.Property(o => o.AccountId).HasMaxLength(Requester.MaxIdLength);
        b.Property(o => o.PriceRub).HasPrecision(14, 2);
        b.HasIndex(o => new { o.AccountId, o.CreatedAt });
    }
}
