using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Otklik.Channels.Vk;

/// <summary>messages.send of the VK API: a text with a keyboard of buttons.</summary>
public sealed partial class VkApiClient(HttpClient http, IOptions<VkOptions> options, ILogger<VkApiClient> logger)
{
    // Button labels stay readable Cyrillic rather than \u escapes.
    private static readonly JsonSerializerOptions s_json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    public async Task<bool> SendAsync(long peerId, string text, IReadOnlyList<string> buttons, CancellationToken ct)
    {
        var o = options.Value;
        var keyboard = JsonSerializer.Serialize(new
        {
            one_time = true,
            buttons = buttons.Take(8).Select(b => new[] { new { action = new { type = "text", label = b.Length > 40 ? b[..40] : b }, color = "secondary" } }),
        }, s_json);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["peer_id"] = peerId.ToString(CultureInfo.InvariantCulture),
            ["random_id"] = RandomNumberGenerator.GetInt32(int.MaxValue).ToString(CultureInfo.InvariantCulture),
            ["message"] = text.Length > 4000 ? text[..4000] : text,
            ["keyboard"] = keyboard,
            ["access_token"] = o.AccessToken ?? "",
            ["v"] = o.ApiVersion,
        });
        try
        {
            using var response = await http.PostAsync(o.ApiBaseUrl.TrimEnd('/') + "/method/messages.send", form, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode || body.Contains("\"error\"", StringComparison.Ordinal))
            {
                LogFailed((int)response.StatusCode);
                return false;
            }
            return true;
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(ex.Message);
            return false;
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "VK messages.send failed with status {Status}")]
    private partial void LogFailed(int status);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "VK API unreachable: {Error}")]
    private partial void LogUnreachable(string error);
}
