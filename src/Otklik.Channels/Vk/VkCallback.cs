using System.Text.Json;

namespace Otklik.Channels.Vk;

/// <summary>A VK Callback API event: <c>confirmation</c> or <c>message_new</c> (others are acknowledged and ignored).</summary>
public sealed record VkCallback
{
    public string? Type { get; init; }
    public long? GroupId { get; init; }
    public string? EventId { get; init; }
    public string? Secret { get; init; }
    public JsonElement? Object { get; init; }

    /// <summary>The message of a <c>message_new</c> event: sender, peer and text.</summary>
    public (long FromId, long PeerId, string Text)? Message()
    {
        if (Object is not { ValueKind: JsonValueKind.Object } obj || !obj.TryGetProperty("message", out var m) || m.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var from = m.TryGetProperty("from_id", out var f) && f.TryGetInt64(out var fid) ? fid : 0;
        var peer = m.TryGetProperty("peer_id", out var p) && p.TryGetInt64(out var pid) ? pid : from;
        var text = m.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() ?? "" : "";
        return from > 0 ? (from, peer, text) : null;
    }
}
