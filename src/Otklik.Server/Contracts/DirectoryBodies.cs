using System.Text.Json;

namespace Otklik.Server.Contracts;

public sealed record AccountBody(
    string? Role, DateTimeOffset? CreatedAt, DateTimeOffset? LastActiveAt, string? Name, string? Phone, bool? PhoneVerified,
    string? Email, bool? EmailVerified, bool? Blocked);

public sealed record OrderBody(
    string? AccountId, string? Status, DateTimeOffset? CreatedAt, DateTimeOffset? ShippedAt, DateTimeOffset? DeliveredAt,
    decimal? PriceRub, bool? ReturnRulesGiven, JsonElement? Items);

public sealed record IdentityBody(string? AccountId, bool? Verified);

public sealed record ConfirmationBody(bool? Success);

public sealed record CapacityBody(int? AgentsOnline, double? AvgHandleMinutes);

public sealed record LoadView(string Level, double BacklogHours, int AgentsOnline, int Deferred, double AvgHandleMinutes, int OpenTickets);

public sealed record OverrideBody(string? Reason);

public sealed record MessageBody(string? Text, bool? Internal);

public sealed record StatusBody(string? Status);

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
