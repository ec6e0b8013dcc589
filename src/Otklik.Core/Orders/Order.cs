namespace Otklik.Core.Orders;

public sealed class Order
{
    public const int MaxNumberLength = 64;

    public required string Number { get; init; }
    public required string AccountId { get; set; }
    public OrderStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ShippedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public decimal PriceRub { get; set; }
    public bool ReturnRulesGiven { get; set; } = true;

    /// <summary>The items as the marketplace sent them (JSON); shown to agents and in claim documents.</summary>
    public string ItemsJson { get; set; } = "[]";
    public DateTimeOffset UpdatedAt { get; set; }
}
