namespace Otklik.Core.Appeals;

public sealed record AttachmentInfo(string Name, string ContentType, long Size)
{
    public const int MaxNameLength = 255;

    /// <summary>Photos, screenshots and videos count as evidence of damage or a defect.</summary>
    public bool IsVisualEvidence =>
        ContentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
        || ContentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase);
}
