using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Otklik.Server.Endpoints;

/// <summary>One page shape for every list: <c>{ items, next_cursor }</c>; cursors are opaque.</summary>
internal static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static (int Limit, IResult? Error) Limit(HttpRequest request)
    {
        var raw = request.Query["limit"].ToString();
        if (raw.Length == 0)
        {
            return (DefaultLimit, null);
        }
        return int.TryParse(raw, out var limit) && limit is >= 1 and <= MaxLimit
            ? (limit, null)
            : (0, Problems.Problems.Validation("limit", $"A whole number from 1 to {MaxLimit}."));
    }

    public static string Encode(string value) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(value));

    public static string? Decode(string cursor)
    {
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(cursor));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
