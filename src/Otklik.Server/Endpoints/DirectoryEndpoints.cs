using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Otklik.Application.Appeals;
using Otklik.Application.Directory;
using Otklik.Application.Load;
using Otklik.Application.Policy;
using Otklik.Core;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;
using Otklik.Data;
using Otklik.Server.Auth;
using Otklik.Server.Contracts;
using Otklik.Server.Problems;

namespace Otklik.Server.Endpoints;

/// <summary>The marketplace tells Otklik about its accounts, orders, identities and capacity (role integration).</summary>
public static class DirectoryEndpoints
{
    /// <summary>What the store's money column holds (14 digits, 2 after the point).</summary>
    private const decimal MaxPriceRub = 999_999_999_999.99m;

    public static IEndpointRouteBuilder MapDirectoryEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Directory");
        api.MapPut("/accounts/{accountId}", PutAccountAsync).RequireAuthorization(Roles.Integration).Accepts<AccountBody>("application/json");
        api.MapGet("/accounts/{accountId}/personal-data", async (string accountId, Application.Directory.PersonalData data, CancellationToken ct) =>
            await data.ExportAsync(accountId, ct) is { } export ? Results.Json(export) : Problems.Problems.NotFound("Account", accountId))
            .RequireAuthorization(Roles.Supervisor);
        api.MapDelete("/accounts/{accountId}/personal-data", async (string accountId, Application.Directory.PersonalData data, CancellationToken ct) =>
            await data.EraseAsync(accountId, ct) ? Results.NoContent() : Problems.Problems.NotFound("Account", accountId))
            .RequireAuthorization(Roles.Supervisor);
        api.MapGet("/accounts/{accountId}", GetAccountAsync).RequireAuthorization(Policies.AnyRole);
        api.MapPut("/orders/{orderNumber}", PutOrderAsync).RequireAuthorization(Roles.Integration).Accepts<OrderBody>("application/json");
        api.MapPut("/identities/{kind}/{value}", PutIdentityAsync).RequireAuthorization(Roles.Integration).Accepts<IdentityBody>("application/json");
        api.MapPost("/identities/{kind}/{value}/confirmations", PostConfirmationAsync).RequireAuthorization(Roles.Integration).Accepts<ConfirmationBody>("application/json");
        api.MapPut("/capacity", PutCapacityAsync).RequireAuthorization(Policies.IntegrationOrSupervisor).Accepts<CapacityBody>("application/json");
        api.MapPost("/agents", CreateAgentAsync).RequireAuthorization(Roles.Supervisor).Accepts<AgentBody>("application/json");
        api.MapGet("/load", GetLoadAsync).RequireAuthorization(Policies.AnyRole).Produces<LoadView>();
        return app;
    }

    private static async Task<IResult> PutAccountAsync(string accountId, HttpRequest request, DirectoryCommands directory, CancellationToken ct)
    {
        var body = await BodyReader.ReadAsync<AccountBody>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }
        var b = body.Value!;
        var errors = new ValidationErrors();
        CheckId(errors, "account_id", accountId, Requester.MaxIdLength);
        if (!WireName.TryParse<RequesterRole>(b.Role, out var role))
        {
            errors.Add("role", "Required: buyer or seller.");
        }
        if (b.CreatedAt is null)
        {
            errors.Add("created_at", "Required.");
        }
        if (b.Name?.Length > Requester.MaxNameLength)
        {
            errors.Add("name", $"At most {Requester.MaxNameLength} characters.");
        }
        if (b.Phone is { Length: > 32 })
        {
            errors.Add("phone", "At most 32 characters.");
        }
        if (b.Email is { } e && (e.Length > RequesterAddress.MaxValueLength || !e.Contains('@', StringComparison.Ordinal)))
        {
            errors.Add("email", "Must be an e-mail address.");
        }
        if (errors.Any)
        {
            return errors.ToResult();
        }
        var created = await directory.UpsertAccountAsync(accountId, new DirectoryCommands.AccountData(
            role, b.CreatedAt!.Value, b.LastActiveAt, b.Name, b.Phone, b.PhoneVerified ?? false, b.Email, b.EmailVerified ?? false, b.Blocked ?? false), ct);
        return created ? TypedResults.Created($"/api/v1/accounts/{Uri.EscapeDataString(accountId)}", new { account_id = accountId }) : TypedResults.Ok(new { account_id = accountId });
    }

    /// <summary>What the desk knows of a requester: the account, its linked identities, its latest orders, and whether it is flagged for review.</summary>
    private static async Task<IResult> GetAccountAsync(string accountId, OtklikDbContext db, Views views, CancellationToken ct)
    {
        var account = await db.Requesters.AsNoTracking().FirstOrDefaultAsync(r => r.AccountId == accountId, ct);
        if (account is null)
        {
            return Problems.Problems.NotFound("Account", accountId);
        }
        var identities = await db.Identities.AsNoTracking().Where(i => i.AccountId == accountId).ToListAsync(ct);
        var orders = await db.Orders.AsNoTracking().Where(o => o.AccountId == accountId).OrderByDescending(o => o.CreatedAt).Take(50).ToListAsync(ct);
        return TypedResults.Ok(new
        {
            account_id = account.AccountId,
            role = WireName.Of(account.Role),
            name = account.Name,
            phone = account.Phone,
            phone_verified = account.PhoneVerified,
            email = account.Email,
            email_verified = account.EmailVerified,
            created_at = views.Local(account.CreatedAt),
            last_active_at = views.Local(account.LastActiveAt),
            blocked = account.Blocked,
            flagged_for_review = account.FlaggedForReview,
            identities = identities.Select(i => new { kind = WireName.Of(i.Kind), value = i.Value, verified = i.Verified, failed_confirmations = i.FailedConfirmations }),
            orders = orders.Select(o => new { order_number = o.Number, status = WireName.Of(o.Status), created_at = views.Local(o.CreatedAt), delivered_at = views.Local(o.DeliveredAt), price_rub = o.PriceRub }),
        });
    }

    private static async Task<IResult> PutOrderAsync(string orderNumber, HttpRequest request, DirectoryCommands directory, CancellationToken ct)
    {
        var body = await BodyReader.ReadAsync<OrderBody>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }
        var b = body.Value!;
        var errors = new ValidationErrors();
        CheckId(errors, "order_number", orderNumber, Order.MaxNumberLength);
        if (string.IsNullOrWhiteSpace(b.AccountId) || b.AccountId.Length > Requester.MaxIdLength)
        {
            errors.Add("account_id", "Required.");
        }
        if (!WireName.TryParse<OrderStatus>(b.Status, out var status))
        {
            errors.Add("status", "Required: one of " + string.Join(", ", WireName.All<OrderStatus>()) + ".");
        }
        if (b.CreatedAt is null)
        {
            errors.Add("created_at", "Required.");
        }
        if (b.PriceRub is < 0 or > MaxPriceRub)
        {
            errors.Add("price_rub", $"From 0 to {MaxPriceRub} roubles.");
        }
        if (b.Items is { } items && items.ValueKind != JsonValueKind.Array)
        {
            errors.Add("items", "Must be an array.");
        }
        if (errors.Any)
        {
            return errors.ToResult();
        }
        var created = await directory.UpsertOrderAsync(orderNumber, new DirectoryCommands.OrderData(
            b.AccountId!, status, b.CreatedAt!.Value, b.ShippedAt, b.DeliveredAt, b.PriceRub ?? 0, b.ReturnRulesGiven ?? true,
            b.Items is { } it ? it.GetRawText() : "[]"), ct);
        return created ? TypedResults.Created($"/api/v1/orders/{Uri.EscapeDataString(orderNumber)}", new { order_number = orderNumber }) : TypedResults.Ok(new { order_number = orderNumber });
    }

    private static async Task<IResult> PutIdentityAsync(string kind, string value, HttpRequest request, DirectoryCommands directory, CancellationToken ct)
    {
        var body = await BodyReader.ReadAsync<IdentityBody>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }
        var errors = new ValidationErrors();
        if (!WireName.TryParse<IdentityKind>(kind, out var k))
        {
            errors.Add("kind", "One of " + string.Join(", ", WireName.All<IdentityKind>()) + ".");
        }
        CheckId(errors, "value", value, RequesterAddress.MaxValueLength);
        if (string.IsNullOrWhiteSpace(body.Value!.AccountId) || body.Value.AccountId.Length > Requester.MaxIdLength)
        {
            errors.Add("account_id", "Required.");
        }
        if (errors.Any)
        {
            return errors.ToResult();
        }
        var created = await directory.LinkIdentityAsync(k, value, body.Value.AccountId!, body.Value.Verified ?? false, ct);
        var normalized = Identity.NormalizeValue(k, value);
        var result = new { kind = WireName.Of(k), value = normalized, account_id = body.Value.AccountId, verified = body.Value.Verified ?? false };
        return created ? TypedResults.Created($"/api/v1/identities/{kind}/{Uri.EscapeDataString(normalized)}", result) : TypedResults.Ok(result);
    }

    private static async Task<IResult> PostConfirmationAsync(string kind, string value, HttpRequest request, DirectoryCommands directory, CancellationToken ct)
    {
        var body = await BodyReader.ReadAsync<ConfirmationBody>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }
        if (!WireName.TryParse<IdentityKind>(kind, out var k))
        {
            return Problems.Problems.Validation("kind", "One of " + string.Join(", ", WireName.All<IdentityKind>()) + ".");
        }
        if (body.Value!.Success is not { } success)
        {
            return Problems.Problems.Validation("success", "Required: true or false.");
        }
        var identity = await directory.RecordConfirmationAsync(k, value, success, ct);
        return identity is null
            ? Problems.Problems.NotFound("Identity", $"{kind}/{value}")
            : TypedResults.Ok(new { kind = WireName.Of(identity.Kind), value = identity.Value, verified = identity.Verified, failed_confirmations = identity.FailedConfirmations });
    }

    private static async Task<IResult> PutCapacityAsync(HttpRequest request, DirectoryCommands directory, AppealReview review, CancellationToken ct)
    {
        var body = await BodyReader.ReadAsync<CapacityBody>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }
        var errors = new ValidationErrors();
        if (body.Value!.AgentsOnline is not (>= 0 and <= 1_000_000))
        {
            errors.Add("agents_online", "Required: a whole number from 0.");
        }
        if (body.Value.AvgHandleMinutes is not (> 0 and <= 10_000))
        {
            errors.Add("avg_handle_minutes", "Required: a positive number of minutes.");
        }
        if (errors.Any)
        {
            return errors.ToResult();
        }
        await directory.ReportCapacityAsync(body.Value.AgentsOnline!.Value, body.Value.AvgHandleMinutes!.Value, ct);
        // More capacity may lower the level: admit what waits now rather than at the next tick.
        await review.AdmitDeferredAsync(ct, max: 200);
        return TypedResults.Ok(new { agents_online = body.Value.AgentsOnline, avg_handle_minutes = body.Value.AvgHandleMinutes });
    }

    private static async Task<IResult> GetLoadAsync(OtklikDbContext db, LoadMonitor load, PolicyProvider policies, CancellationToken ct)
    {
        var snapshot = await load.CurrentAsync(policies.Current, ct);
        var deferred = await db.Appeals.AwaitingAdmission().CountAsync(ct);
        return TypedResults.Ok(new LoadView(WireName.Of(snapshot.Level), double.IsInfinity(snapshot.BacklogHours) ? double.MaxValue : Math.Round(snapshot.BacklogHours, 2), snapshot.AgentsOnline, deferred, snapshot.AvgHandleMinutes, snapshot.OpenTickets));
    }

    public sealed record AgentBody(string? Name, string? DisplayName, string? Password, string? Role);

    /// <summary>A supervisor creates a workspace login for an agent or another supervisor.</summary>
    private static async Task<IResult> CreateAgentAsync(HttpRequest request, Application.Workspace.AgentDirectory agents, CancellationToken ct)
    {
        var body = await BodyReader.ReadAsync<AgentBody>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }
        var b = body.Value!;
        var errors = new ValidationErrors();
        if (b.Name is not { Length: >= 2 and <= AgentAccount.MaxNameLength } || !b.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            errors.Add("name", "2–64 characters: letters, digits, '.', '-', '_'.");
        }
        if (b.Password is not { Length: >= 10 and <= 200 })
        {
            errors.Add("password", "10–200 characters.");
        }
        if (!Application.Workspace.AgentDirectory.Roles.Contains(b.Role))
        {
            errors.Add("role", "agent or supervisor.");
        }
        if (errors.Any)
        {
            return errors.ToResult();
        }
        return await agents.CreateAsync(b.Name!, b.DisplayName ?? b.Name!, b.Password!, b.Role!, ct)
            ? TypedResults.Created($"/api/v1/agents/{b.Name}", new { name = b.Name, role = b.Role })
            : Problems.Problems.Conflict($"An agent named '{b.Name}' exists.");
    }

    internal static void CheckId(ValidationErrors errors, string field, string value, int max)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > max || value.Any(char.IsControl))
        {
            errors.Add(field, $"Required, at most {max} characters, no control characters.");
        }
    }
}
