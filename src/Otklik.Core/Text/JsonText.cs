using System.Text;

namespace Otklik.Core.Text;

/// <summary>
/// A JSON document kept as stored: its UTF-8 bytes, decoded to a string only when someone asks. The intake
/// writes the request, the decision and the gate snapshot of every appeal (2–3 KB of JSON) on the store's single
/// writer; as strings each went UTF-8 (serializer) → UTF-16 → UTF-8 (the store's encoding), and the strings were a
/// sixth of all the bytes a request allocated. Immutable; equal when the bytes are.
/// </summary>
public sealed class JsonText : IEquatable<JsonText>
{
    private readonly byte[] _utf8;
    private string? _text;

    private JsonText(byte[] utf8) => _utf8 = utf8;

    /// <summary>The empty JSON object, <c>{}</c>.</summary>
    public static JsonText EmptyObject { get; } = From("{}");

    /// <summary>Takes <paramref name="utf8"/> as the document; the caller must not change the array afterwards.</summary>
    public static JsonText FromUtf8(byte[] utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        return new(utf8);
    }

    /// <summary>A copy of <paramref name="utf8"/> as the document.</summary>
    public static JsonText FromUtf8(ReadOnlySpan<byte> utf8) => new(utf8.ToArray());

    /// <summary>The document in <paramref name="text"/>; a lone surrogate, which UTF-8 cannot carry, becomes U+FFFD.</summary>
    public static JsonText From(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(Encoding.UTF8.GetBytes(text));
    }

    public ReadOnlySpan<byte> Utf8 => _utf8;

    public ReadOnlyMemory<byte> Utf8Memory => _utf8;

    public int Length => _utf8.Length;

    /// <summary>The document as a string, decoded once.</summary>
    public override string ToString() => _text ??= Encoding.UTF8.GetString(_utf8);

    public bool Equals(JsonText? other) => other is not null && _utf8.AsSpan().SequenceEqual(other._utf8);

    public override bool Equals(object? obj) => obj is JsonText other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_utf8);
        return hash.ToHashCode();
    }
}
