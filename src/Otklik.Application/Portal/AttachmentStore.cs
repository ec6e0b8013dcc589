namespace Otklik.Application.Portal;

/// <summary>
/// Keeps uploaded photos and documents under the data directory. Files are checked by their first
/// bytes (not by their name or declared type), bounded in size and count, and stored under generated
/// names: a customer's file name is never a path.
/// </summary>
public sealed class AttachmentStore(string dataDirectory)
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxFiles = 5;

    public sealed record Stored(string Name, string ContentType, long Size, string Path);

    /// <summary>The media type the bytes really are, or null for anything not accepted.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : head.StartsWith("GIF8"u8) ? "image/gif"
        : head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8) && (head[8..12].SequenceEqual("heic"u8) || head[8..12].SequenceEqual("heix"u8) || head[8..12].SequenceEqual("mif1"u8)) ? "image/heic"
        : head.StartsWith("%PDF-"u8) ? "application/pdf"
        : null;

    public async Task<Stored> SaveAsync(string appealKey, int index, string originalName, byte[] bytes, string contentType, CancellationToken ct)
    {
        var safeKey = new string(appealKey.Where(char.IsAsciiLetterOrDigit).Take(64).ToArray());
        var dir = System.IO.Path.Combine(dataDirectory, "attachments", safeKey);
        System.IO.Directory.CreateDirectory(dir);
        var extension = contentType switch
        {
            "image/jpeg" => ".jpg",
            "image/png" => ".png",
            "image/gif" => ".gif",
            "image/webp" => ".webp",
            "image/heic" => ".heic",
            _ => ".pdf",
        };
        var path = System.IO.Path.Combine(dir, $"{index}{extension}");
        await File.WriteAllBytesAsync(path, bytes, ct);
        // The name is only shown, never used to build a path; keep it short and printable.
        var shown = new string(System.IO.Path.GetFileName(originalName).Where(c => !char.IsControl(c)).Take(100).ToArray());
        return new Stored(shown.Length == 0 ? $"file{index}{extension}" : shown, contentType, bytes.Length, path);
    }
}
