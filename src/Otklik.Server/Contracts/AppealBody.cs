using System.Text.Json.Serialization;

namespace Otklik.Server.Contracts;

/// <summary>POST /api/v1/appeals. Codes are strings here so that a wrong one gets a clear validation message.</summary>
public sealed record AppealBody
{
    public string? Channel { get; init; }
    public RequesterBody? Requester { get; init; }
    public string? Role { get; init; }
    public string? OrderNumber { get; init; }
    public string? ProblemType { get; init; }
    public string? Demand { get; init; }
    public string? Text { get; init; }
    public List<AttachmentBody>? Attachments { get; init; }
    public ClaimedBody? Claimed { get; init; }
    public DateTimeOffset? ReceivedAt { get; init; }
}

/// <summary>Exactly one of the fields. Telegram and VK ids may come as numbers, as those APIs send them.</summary>
public sealed record RequesterBody
{
    public string? AccountId { get; init; }
    public string? Phone { get; init; }

    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? TelegramId { get; init; }

    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? VkId { get; init; }

    public string? Email { get; init; }
}

public sealed record AttachmentBody(string? Name, string? ContentType, long? Size);

public sealed record ClaimedBody(string? Name, string? Phone, string? Email);
