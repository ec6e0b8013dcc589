using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Otklik.Core.Tickets;

namespace Otklik.Application;

/// <summary>The one JSON convention of Otklik: snake_case names, snake_case enum codes, P1–P4 as written in the spec, Russian text as text.</summary>
public static class OtklikJson
{
    /// <summary>
    /// Cyrillic is written as UTF-8, not as <c>\u0430</c> escapes: a Russian decision or gate snapshot
    /// is a third of the bytes to store and send, and cheaper to write. Markup-sensitive characters
    /// (&lt; &gt; &amp; quotes) are still escaped, as by the default encoder.
    /// </summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.Create(UnicodeRanges.BasicLatin, UnicodeRanges.Cyrillic, UnicodeRanges.CyrillicSupplement);

    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>
    /// For what Otklik stores and reads back itself (an appeal's decision and gate snapshot): the same, but
    /// nulls left out — read with <see cref="Options"/> they come back as null. A decision's trace is 14
    /// lines of mostly nulls: stored whole it was 2.7 KB, and the appeal's row no longer fit in a page.
    /// </summary>
    public static readonly JsonSerializerOptions Stored = new(Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Encoder = Encoder;
        options.DictionaryKeyPolicy = null;
        options.PropertyNameCaseInsensitive = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter<PriorityClass>(allowIntegerValues: false));
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        options.AllowTrailingCommas = false;
        options.ReadCommentHandling = JsonCommentHandling.Skip;
        return options;
    }
}
