namespace Otklik.Channels.Phone;

/// <summary>The telephony integration (configuration section <c>Channels:Phone</c>); off without a secret.</summary>
public sealed class PhoneOptions
{
    public const string Section = "Channels:Phone";

    /// <summary>Shared secret the telephony system signs its call events with (at least 16 characters).</summary>
    public string? Secret { get; set; }

    public bool Enabled => Secret is { Length: >= 16 };
}
