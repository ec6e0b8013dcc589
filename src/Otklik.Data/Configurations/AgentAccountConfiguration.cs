using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Otklik.Data.Configurations;

internal sealed class AgentAccountConfiguration : IEntityTypeConfiguration<AgentAccount>
{
    public void Configure(EntityTypeBuilder<AgentAccount> b)
    {
        b.ToTable("agents");
        b.HasKey(a => a.Name);
        b.Property(a => a.Name).HasMaxLength(AgentAccount.MaxNameLength);
        b.Property(a => a.DisplayName).HasMaxLength(100);
        b.Property(a => a.Role).HasMaxLength(16);
        b.Property(a => a.PasswordHash).HasMaxLength(200);
    }
}
