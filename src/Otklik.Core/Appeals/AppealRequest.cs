using Otklik.Core.Requesters;

namespace Otklik.Core.Appeals;

/// <summary>One appeal, normalised from whatever channel it arrived on.</summary>
public sealed record AppealRequest(
    Channel Channel,
    RequesterAddress Requester,
    RequesterRole Role,
    string? OrderNumber,
    string ProblemType,
    Demand? Demand,
    string Text,
    IReadOnlyList<AttachmentInfo> Attachments,
    ClaimedData Claimed,
    DateTimeOffset ReceivedAt)
{
    public const int MaxTextLength = 10_000;
    public const int MaxOrderNumberLength = 64;
    public const int MaxAttachments = 20;
}
