using Microsoft.EntityFrameworkCore;
using Otklik.Core.Appeals;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;

namespace Otklik.Data;

/// <summary>The store. Provider-neutral; <see cref="SqliteOtklikDbContext"/> and <see cref="PostgresOtklikDbContext"/> carry the migrations.</summary>
public abstract class OtklikDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Requester> Requesters => Set<Requester>();
    public DbSet<Identity> Identities => Set<Identity>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<Appeal> Appeals => Set<Appeal>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketMessage> TicketMessages => Set<TicketMessage>();
    public DbSet<TicketEvent> TicketEvents => Set<TicketEvent>();
    public DbSet<CalendarYearRecord> CalendarYears => Set<CalendarYearRecord>();
    public DbSet<AgentAccount> Agents => Set<AgentAccount>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<MailRecord> Mail => Set<MailRecord>();
    public DbSet<PolicyVersionRecord> PolicyVersions => Set<PolicyVersionRecord>();
    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();
    public DbSet<RateBucket> RateBuckets => Set<RateBucket>();
    public DbSet<CapacityReport> Capacity => Set<CapacityReport>();

    /// <summary>True when the provider is SQLite (single writer; in-process locks suffice).</summary>
    public abstract bool IsEmbedded { get; }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpTicketVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpTicketVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    // Every change to a ticket moves its version, so two writers of one ticket never both win.
    private void BumpTicketVersions()
    {
        foreach (var entry in ChangeTracker.Entries<Ticket>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.Version++;
            }
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OtklikDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name so the database reads like the spec's codes.
        configurationBuilder.Properties<Channel>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Outcome>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Demand>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<RequesterRole>().HaveConversion<string>().HaveMaxLength(8);
        configurationBuilder.Properties<IdentityKind>().HaveConversion<string>().HaveMaxLength(12);
        configurationBuilder.Properties<OrderStatus>().HaveConversion<string>().HaveMaxLength(12);
        configurationBuilder.Properties<TicketStatus>().HaveConversion<string>().HaveMaxLength(12);
        configurationBuilder.Properties<Queue>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<PriorityClass>().HaveConversion<string>().HaveMaxLength(4);
        configurationBuilder.Properties<MessageAuthor>().HaveConversion<string>().HaveMaxLength(12);
    }
}
