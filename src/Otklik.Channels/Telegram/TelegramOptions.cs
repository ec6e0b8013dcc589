namespace Otklik.Channels.Telegram;

/// <summary>The Telegram bot (configuration section <c>Channels:Telegram</c>); off without a token.</summary>
public sealed class TelegramOptions
{
    public const string Section = "Channels:Telegram";

    /// <summary>The bot token from @BotFather.</summary>
    public string? Token { get; set; }

    /// <summary>"webhook" (Telegram posts updates to us) or "polling" (we ask with getUpdates).</summary>
    public string Mode { get; set; } = "webhook";

    /// <summary>The secret token given to setWebhook; Telegram sends it back in X-Telegram-Bot-Api-Secret-Token.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The Bot API server (tests and self-hosted Bot API servers change it).</summary>
    public string? ApiBaseUrl { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(Token);
}
