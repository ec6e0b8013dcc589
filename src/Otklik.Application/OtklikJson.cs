using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Otklik.Core.Appeals;
using Otklik.Core.Gate;
using Otklik.Core.Text;
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

    /// <summary>
    /// <paramref name="value"/> as <see cref="Stored"/> writes it, through the serializer the source generator
    /// wrote for the type: the intake stores a decision and a gate snapshot with every appeal, on the store's
    /// single writer, where the general serializer's per-property converters were a tenth of its time.
    /// Written with Otklik's encoder, which is why the generated writer is called here rather than through
    /// <see cref="JsonSerializer"/> (that takes the fast path only with the default encoder). The result is the
    /// serializer's UTF-8 as is (<see cref="JsonText"/>): the store takes UTF-8 too.
    /// </summary>
    public static JsonText SerializeStored(Decision value) => WriteStored(value, StoredJsonContext.Default.Decision);

    /// <inheritdoc cref="SerializeStored(Decision)"/>
    public static JsonText SerializeStored(GateSnapshot value) => WriteStored(value, StoredJsonContext.Default.GateSnapshot);

    [ThreadStatic]
    private static ThreadBuffer? s_writer;

    private static JsonText WriteStored<T>(T value, JsonTypeInfo<T> generated) =>
        generated.SerializeHandler is null
            ? JsonText.FromUtf8(JsonSerializer.SerializeToUtf8Bytes(value, Stored))
            : WriteGenerated(value, generated, 0, static (utf8, _) => JsonText.FromUtf8(utf8));

    /// <summary>What is done with a document's UTF-8 while it is in the calling thread's buffer: reused after, so not for writing another document meanwhile.</summary>
    public delegate TResult Utf8Consumer<TState, TResult>(ReadOnlySpan<byte> utf8, TState state);

    /// <summary>
    /// Writes <paramref name="value"/> with Otklik's encoder through the serializer the source generator wrote for
    /// its type (<paramref name="generated"/> must have one: a context in serialization mode, options like
    /// <see cref="Options"/> or <see cref="Stored"/>), into a buffer kept by the calling thread, and passes the bytes
    /// to <paramref name="use"/>: no per-call serializer state, no copy unless <paramref name="use"/> makes one.
    /// </summary>
    public static TResult WriteGenerated<T, TState, TResult>(T value, JsonTypeInfo<T> generated, TState state, Utf8Consumer<TState, TResult> use)
    {
        var handler = generated.SerializeHandler
            ?? throw new ArgumentException($"{typeof(T).Name}'s generated type info has no serializer of its own (is the context in serialization mode?).", nameof(generated));
        var w = s_writer ??= new ThreadBuffer();
        try
        {
            handler(w.Json, value);
            w.Json.Flush();
            return use(w.Buffer.WrittenSpan, state);
        }
        finally
        {
            w.Reset();
        }
    }

    private sealed class ThreadBuffer
    {
        // A snapshot with a requester's hundred tickets is tens of kilobytes; the buffer keeps at most this much between appeals.
        private const int KeptCapacity = 64 * 1024;

        public ArrayBufferWriter<byte> Buffer { get; private set; } = new(8 * 1024);

        public Utf8JsonWriter Json { get; private set; }

        public ThreadBuffer() => Json = NewWriter(Buffer);

        public void Reset()
        {
            if (Buffer.Capacity > KeptCapacity)
            {
                Buffer = new ArrayBufferWriter<byte>(8 * 1024);
                Json.Dispose();
                Json = NewWriter(Buffer);
                return;
            }
            Buffer.ResetWrittenCount();
            Json.Reset(Buffer);
        }

        private static Utf8JsonWriter NewWriter(ArrayBufferWriter<byte> buffer) =>
            new(buffer, new JsonWriterOptions { Encoder = Encoder, SkipValidation = true });
    }

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

/// <summary>P1–P4 as written in the spec (the generator needs a converter type it can create).</summary>
internal sealed class PriorityClassJsonConverter() : JsonStringEnumConverter<PriorityClass>(namingPolicy: null, allowIntegerValues: false);

/// <summary>Every other enum as its snake_case code: <see cref="JsonStringEnumConverter"/> as <see cref="OtklikJson.Options"/> has it.</summary>
internal sealed class SnakeCaseEnumJsonConverter : JsonConverterFactory
{
    private static readonly JsonStringEnumConverter s_codes = new(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false);

    public override bool CanConvert(Type typeToConvert) => s_codes.CanConvert(typeToConvert);

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) => s_codes.CreateConverter(typeToConvert, options);
}

/// <summary>The serializers of what the intake stores, written at build time with the settings of <see cref="OtklikJson.Stored"/>.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(PriorityClassJsonConverter), typeof(SnakeCaseEnumJsonConverter)])]
[JsonSerializable(typeof(Decision))]
[JsonSerializable(typeof(GateSnapshot))]
internal sealed partial class StoredJsonContext : JsonSerializerContext;
