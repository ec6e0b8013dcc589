using System.Text.Json;

namespace Otklik.Core;

/// <summary>The one mapping between PascalCase enums and the spec's snake_case wire codes.</summary>
public static class WireName
{
    public static string Of<T>(T value) where T : struct, Enum => Cache<T>.Names[value];

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        if (text is not null && Cache<T>.Values.TryGetValue(text, out value))
        {
            return true;
        }
        value = default;
        return false;
    }

    public static IEnumerable<string> All<T>() where T : struct, Enum => Cache<T>.Names.Values;

    private static class Cache<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> Names = Enum.GetValues<T>().ToDictionary(v => v, v => typeof(T) == typeof(Tickets.PriorityClass) ? v.ToString() : JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));
        public static readonly Dictionary<string, T> Values = Names.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);
    }
}
