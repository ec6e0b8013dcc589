namespace Otklik.Core.Text;

/// <summary>
/// The Snowball stemmer for Russian (M. Porter's algorithm), so that "трещина", "трещиной" and
/// "трещины" compare equal. Expects lower-case text with ё already folded to е.
/// </summary>
public static class RussianStemmer
{
    private static readonly string[] s_perfectiveGerund1 = ["вшись", "вши", "в"];
    private static readonly string[] s_perfectiveGerund2 = ["ившись", "ывшись", "ивши", "ывши", "ив", "ыв"];
    private static readonly string[] s_adjective =
        ["ими", "ыми", "его", "ого", "ему", "ому", "ее", "ие", "ые", "ое", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею"];
    private static readonly string[] s_participle1 = ["ем", "нн", "вш", "ющ", "щ"];
    private static readonly string[] s_participle2 = ["ивш", "ывш", "ующ"];
    private static readonly string[] s_reflexive = ["ся", "сь"];
    private static readonly string[] s_verb1 = ["ете", "йте", "ешь", "нно", "ла", "на", "ли", "ем", "ло", "но", "ет", "ют", "ны", "ть", "й", "л", "н"];
    private static readonly string[] s_verb2 =
        ["ейте", "уйте", "ила", "ыла", "ена", "ите", "или", "ыли", "ило", "ыло", "ено", "ует", "уют", "ены", "ить", "ыть", "ишь", "ей", "уй", "ил", "ыл", "им", "ым", "ен", "ят", "ит", "ыт", "ую", "ю"];
    private static readonly string[] s_noun =
        ["иями", "ями", "ами", "ией", "иям", "ием", "иях", "ев", "ов", "ие", "ье", "еи", "ии", "ей", "ой", "ий", "ям", "ем", "ам", "ом", "ах", "ях", "ию", "ью", "ия", "ья", "а", "е", "и", "й", "о", "у", "ы", "ь", "ю", "я"];
    private static readonly string[] s_superlative = ["ейше", "ейш"];
    private static readonly string[] s_derivational = ["ость", "ост"];

    public static string Stem(string word)
    {
        if (word.Length < 3)
        {
            return word;
        }
        var rv = FindRv(word);
        if (rv >= word.Length)
        {
            return word;
        }
        var r2 = FindR2(word);
        var w = word;

        // Step 1
        if (!TryRemove(ref w, rv, s_perfectiveGerund1, requireAOrYa: true) && !TryRemove(ref w, rv, s_perfectiveGerund2, requireAOrYa: false))
        {
            TryRemove(ref w, rv, s_reflexive, requireAOrYa: false);
            if (!TryRemoveAdjectival(ref w, rv)
                && !TryRemove(ref w, rv, s_verb1, requireAOrYa: true)
                && !TryRemove(ref w, rv, s_verb2, requireAOrYa: false))
            {
                TryRemove(ref w, rv, s_noun, requireAOrYa: false);
            }
        }

        // Step 2
        if (w.Length > rv && w[^1] == 'и')
        {
            w = w[..^1];
        }

        // Step 3
        TryRemove(ref w, Math.Max(r2, rv), s_derivational, requireAOrYa: false);

        // Step 4
        if (w.Length - 2 >= rv && w.EndsWith("нн", StringComparison.Ordinal))
        {
            w = w[..^1];
        }
        else if (TryRemove(ref w, rv, s_superlative, requireAOrYa: false))
        {
            if (w.Length - 2 >= rv && w.EndsWith("нн", StringComparison.Ordinal))
            {
                w = w[..^1];
            }
        }
        else if (w.Length > rv && w[^1] == 'ь')
        {
            w = w[..^1];
        }
        return w;
    }

    private static bool TryRemoveAdjectival(ref string w, int rv)
    {
        var adj = LongestSuffix(w, rv, s_adjective, requireAOrYa: false);
        if (adj == 0)
        {
            return false;
        }
        var stem = w[..^adj];
        var part = LongestSuffix(stem, rv, s_participle2, requireAOrYa: false);
        if (part == 0)
        {
            part = LongestSuffix(stem, rv, s_participle1, requireAOrYa: true);
        }
        w = stem[..^part];
        return true;
    }

    private static bool TryRemove(ref string w, int region, string[] suffixes, bool requireAOrYa)
    {
        var len = LongestSuffix(w, region, suffixes, requireAOrYa);
        if (len == 0)
        {
            return false;
        }
        w = w[..^len];
        return true;
    }

    private static int LongestSuffix(string w, int region, string[] suffixes, bool requireAOrYa)
    {
        var best = 0;
        foreach (var s in suffixes)
        {
            if (s.Length <= best || w.Length - s.Length < region || !w.EndsWith(s, StringComparison.Ordinal))
            {
                continue;
            }
            if (requireAOrYa)
            {
                var i = w.Length - s.Length - 1;
                if (i < region || (w[i] != 'а' && w[i] != 'я'))
                {
                    continue;
                }
            }
            best = s.Length;
        }
        return best;
    }

    private static bool IsVowel(char c) => c is 'а' or 'е' or 'и' or 'о' or 'у' or 'ы' or 'э' or 'ю' or 'я';

    private static int FindRv(string w)
    {
        for (var i = 0; i < w.Length; i++)
        {
            if (IsVowel(w[i]))
            {
                return i + 1;
            }
        }
        return w.Length;
    }

    private static int FindR1(string w, int start)
    {
        for (var i = start + 1; i < w.Length; i++)
        {
            if (!IsVowel(w[i]) && IsVowel(w[i - 1]))
            {
                return i + 1;
            }
        }
        return w.Length;
    }

    private static int FindR2(string w)
    {
        var r1 = FindR1(w, 0);
        return r1 >= w.Length ? w.Length : FindR1(w, r1);
    }
}
