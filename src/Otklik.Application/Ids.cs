using System.Security.Cryptography;

namespace Otklik.Application;

/// <summary>Sortable public ids (<c>ap_01JD…</c>): 48-bit milliseconds then 80 random bits, Crockford base32 (ULID).</summary>
public static class Ids
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int RandomBytes = 10;

    // The random part comes from the system's CSPRNG a few hundred bytes at a time: asked for ten bytes per id,
    // OpenSSL's entry and error-queue bookkeeping cost more than the bytes (≈ 1.5 % of the server's samples
    // under intake load, on the store's single writer).
    [ThreadStatic]
    private static byte[]? s_random;

    [ThreadStatic]
    private static int s_used;

    public static string New(string prefix, DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)now.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)(ms & 0xFF);
            ms >>= 8;
        }
        TakeRandom(bytes[6..]);
        Span<char> chars = stackalloc char[26];
        // 128 bits → 26 base32 characters, most significant first.
        var hi = ((ulong)bytes[0] << 56) | ((ulong)bytes[1] << 48) | ((ulong)bytes[2] << 40) | ((ulong)bytes[3] << 32) | ((ulong)bytes[4] << 24) | ((ulong)bytes[5] << 16) | ((ulong)bytes[6] << 8) | bytes[7];
        var lo = ((ulong)bytes[8] << 56) | ((ulong)bytes[9] << 48) | ((ulong)bytes[10] << 40) | ((ulong)bytes[11] << 32) | ((ulong)bytes[12] << 24) | ((ulong)bytes[13] << 16) | ((ulong)bytes[14] << 8) | bytes[15];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(lo & 31)];
            lo = (lo >> 5) | ((hi & 31) << 59);
            hi >>= 5;
        }
        return string.Concat(prefix, "_", chars);
    }

    private static void TakeRandom(Span<byte> into)
    {
        var pool = s_random;
        if (pool is null || s_used + into.Length > pool.Length)
        {
            pool = s_random ??= new byte[RandomBytes * 64];
            RandomNumberGenerator.Fill(pool);
            s_used = 0;
        }
        pool.AsSpan(s_used, into.Length).CopyTo(into);
        // What was handed out is not handed out again: zeroed here, and refilled before it could be.
        pool.AsSpan(s_used, into.Length).Clear();
        s_used += into.Length;
    }
}
