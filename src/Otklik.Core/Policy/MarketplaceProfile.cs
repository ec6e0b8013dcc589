namespace Otklik.Core.Policy;

/// <summary>Who the desk serves and how customers reach it; the source of every decision's alternatives.</summary>
public sealed record MarketplaceProfile
{
    public string Name { get; init; } = "Demo Marketplace";

    /// <summary>Addressee of claim letters.</summary>
    public string Operator { get; init; } = "ООО «Демо Маркетплейс»";

    public string AppPath { get; init; } = "Мои заказы → заказ → Помощь с заказом → тип проблемы";
    public string BuyerHotline { get; init; } = "8-800-234-55-66";
    public string SellerHotline { get; init; } = "8-800-600-92-32";
    public string HotlineHours { get; init; } = "24/7";
    public string? TelegramBot { get; init; } = "@demo_market_support_bot";
    public string? VkCommunity { get; init; } = "vk.com/demo_market_support";
    public string? SupportEmail { get; init; } = "support@demo-market.example";
    public string PortalUrl { get; init; } = "/portal";
}
