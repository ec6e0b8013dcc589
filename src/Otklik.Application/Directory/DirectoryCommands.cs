using Microsoft.EntityFrameworkCore;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;
using Otklik.Data;

namespace Otklik.Application.Directory;

/// <summary>The marketplace tells Otklik about its accounts, orders, identities and capacity.</summary>
public sealed class DirectoryCommands(OtklikDbContext db, TimeProvider time, Load.LoadMonitor load)
{
    public sealed record AccountData(RequesterRole Role, DateTimeOffset CreatedAt, DateTimeOffset? LastActiveAt, string? Name, string? Phone, bool PhoneVerified, string? Email, bool EmailVerified, bool Blocked);

    public sealed record OrderData(string AccountId, OrderStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? ShippedAt, DateTimeOffset? DeliveredAt, decimal PriceRub, bool ReturnRulesGiven, string ItemsJson);

    /// <summary>Returns true when the account was created, false when updated.</summary>
    public async Task<bool> UpsertAccountAsync(string accountId, AccountData data, CancellationToken ct)
    {
        var account = await db.Requesters.FirstOrDefaultAsync(r => r.AccountId == accountId, ct);
        var created = account is null;
        account ??= db.Requesters.Add(new Requester { AccountId = accountId }).Entity;
        account.Role = data.Role;
        account.CreatedAt = data.CreatedAt;
        account.LastActiveAt = data.LastActiveAt;
        account.Name = data.Name;
        account.Phone = data.Phone is { Length: > 0 } p ? PhoneNumber.Normalize(p) : null;
        account.PhoneVerified = data.PhoneVerified;
        account.Email = data.Email is { Length: > 0 } e ? e.Trim().ToLowerInvariant() : null;
        account.EmailVerified = data.EmailVerified;
        account.Blocked = data.Blocked;
        account.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return created;
    }

    public async Task<bool> UpsertOrderAsync(string number, OrderData data, CancellationToken ct)
    {
        var order = await db.Orders.FirstOrDefaultAsync(o => o.Number == number, ct);
        var created = order is null;
        order ??= db.Orders.Add(new Order { Number = number, AccountId = data.AccountId }).Entity;
        order.AccountId = data.AccountId;
        order.Status = data.Status;
        order.CreatedAt = data.CreatedAt;
        order.ShippedAt = data.ShippedAt;
        order.DeliveredAt = data.DeliveredAt;
        order.PriceRub = data.PriceRub;
        order.ReturnRulesGiven = data.ReturnRulesGiven;
        order.ItemsJson = data.ItemsJson;
        order.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return created;
    }

    public async Task<bool> LinkIdentityAsync(IdentityKind kind, string value, string accountId, bool verified, CancellationToken ct)
    {
        var normalized = Identity.NormalizeValue(kind, value);
        var identity = await db.Identities.FirstOrDefaultAsync(i => i.Kind == kind && i.Value == normalized, ct);
        var created = identity is null;
        identity ??= db.Identities.Add(new Identity { Kind = kind, Value = normalized }).Entity;
        identity.AccountId = accountId;
        identity.Verified = verified;
        identity.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return created;
    }

    /// <summary>
    /// Records one confirmation attempt (SMS code, bot code). Success verifies the identity and counts
    /// as account activity; repeated failures lock it for a while (gate rule 3).
    /// </summary>
    public async Task<Identity?> RecordConfirmationAsync(IdentityKind kind, string value, bool success, CancellationToken ct)
    {
        var normalized = Identity.NormalizeValue(kind, value);
        var identity = await db.Identities.FirstOrDefaultAsync(i => i.Kind == kind && i.Value == normalized, ct);
        if (identity is null)
        {
            return null;
        }
        var now = time.GetUtcNow();
        identity.RecordConfirmation(success, now);
        if (success && identity.AccountId is { } accountId && await db.Requesters.FirstOrDefaultAsync(r => r.AccountId == accountId, ct) is { } account)
        {
            account.MarkActive(now);
        }
        await db.SaveChangesAsync(ct);
        return identity;
    }

    /// <summary>The customer proved the phone with a one-time code: verified, and active now (gate rules 3 and 4).</summary>
    public async Task ConfirmAccountPhoneAsync(string accountId, CancellationToken ct)
    {
        var account = await db.Requesters.FirstOrDefaultAsync(r => r.AccountId == accountId, ct);
        if (account is null)
        {
            return;
        }
        account.PhoneVerified = true;
        account.MarkActive(time.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }

    public async Task ReportCapacityAsync(int agentsOnline, double avgHandleMinutes, CancellationToken ct)
    {
        var report = await db.Capacity.FirstOrDefaultAsync(c => c.Id == CapacityReport.SingletonId, ct);
        report ??= db.Capacity.Add(new CapacityReport()).Entity;
        report.AgentsOnline = agentsOnline;
        report.AvgHandleMinutes = avgHandleMinutes;
        report.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        load.Invalidate();
    }
}
