namespace Otklik.Channels.Vk;

/// <summary>The VK community bot (configuration section <c>Channels:Vk</c>); off without a secret.</summary>
public sealed class VkOptions
{
    public const string Section = "Channels:Vk";

    /// <summary>The "secret key" set in the community's Callback API settings; every callback must carry it.</summary>
    public string? Secret { get; set; }

    /// <summary>The string VK expects back from the confirmation callback.</summary>
    public string? Confirmation { get; set; }

    /// <summary>The community's id; callbacks for other groups are refused.</summary>
    public long GroupId { get; set; }

    /// <summary>Community access token for messages.send.</summary>
    public string? AccessToken { get; set; }

    /// <summary>The VK API address (tests point it at a local server).</summary>
    public string ApiBaseUrl { get; set; } = "https://api.vk.com";

    public string ApiVersion { get; set; } = "5.199";

    public bool Enabled => Secret is { Length: >= 16 } && !string.IsNullOrEmpty(Confirmation) && GroupId > 0;
}
