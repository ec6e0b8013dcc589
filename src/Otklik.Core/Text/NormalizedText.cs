using System.Text;

namespace Otklik.Core.Text;

/// <summary>
/// A customer's words reduced for comparison: lower case, ё→е, punctuation dropped, Russian words
/// stemmed, filler words removed. Used for near-duplicates (rule 11) and spam waves (rule 2).
/// </summary>
public sealed class NormalizedText
{
    private static readonly HashSet<string> s_stopWords = new(StringComparer.Ordinal)
    {
        "и", "в", "во", "не", "что", "он", "на", "я", "с", "со", "как", "а", "то", "все", "она", "так", "его", "но", "да", "ты",
        "к", "у", "же", "вы", "за", "бы", "по", "только", "ее", "мне", "было", "вот", "от", "меня", "еще", "нет", "о", "из",
        "ему", "уже", "или", "ни", "быть", "был", "до", "вас", "ну", "ли", "если", "мой", "моя", "мое", "мои", "моего", "моей",
        "это", "этот", "эта", "для", "при", "без", "там", "тут", "где", "мы", "их", "чем", "под", "над", "the", "a", "an", "is", "my",
        "please", "пожалуйста", "здравствуйте", "добрый", "день", "спасибо",
    };

    private string? _stemsJoined;

    private NormalizedText(int letterCount, int distinctLetters, int wordCount, string[] stems, ulong fingerprint)
    {
        LetterCount = letterCount;
        DistinctLetters = distinctLetters;
        WordCount = wordCount;
        Stems = stems;
        Fingerprint = fingerprint;
    }

    public int LetterCount { get; }

    public int DistinctLetters { get; }

    /// <summary>Tokens of two or more letters.</summary>
    public int WordCount { get; }

    /// <summary>Distinct significant stems, sorted.</summary>
    public IReadOnlyList<string> Stems { get; }

    /// <summary>FNV-1a of the stems in order; equal for texts that normalise to the same words.</summary>
    public ulong Fingerprint { get; }

    /// <summary>The stems as one string, as tickets and appeals store them (joined once: the intake asks for it more than once).</summary>
    public string StemsJoined => _stemsJoined ??= string.Join(' ', Stems);

    public static NormalizedText From(string text)
    {
        var letters = 0;
        Span<bool> seen = stackalloc bool[64];
        var distinct = 0;
        var words = 0;
        var ordered = new List<string>();
        var token = new StringBuilder(32);
        ulong hash = 14695981039346656037UL;

        void Flush()
        {
            if (token.Length == 0)
            {
                return;
            }
            var word = token.ToString();
            token.Clear();
            var hasLetter = false;
            foreach (var ch in word)
            {
                if (char.IsLetter(ch))
                {
                    hasLetter = true;
                    break;
                }
            }
            if (!hasLetter)
            {
                return;
            }
            if (word.Length >= 2)
            {
                words++;
            }
            if (s_stopWords.Contains(word))
            {
                return;
            }
            var stem = IsCyrillic(word) ? RussianStemmer.Stem(word) : word;
            ordered.Add(stem);
            foreach (var ch in stem)
            {
                hash = (hash ^ ch) * 1099511628211UL;
            }
            hash = (hash ^ ' ') * 1099511628211UL;
        }

        foreach (var raw in text)
        {
            var c = char.ToLowerInvariant(raw);
            if (c == 'ё')
            {
                c = 'е';
            }
            if (char.IsLetterOrDigit(c))
            {
                if (char.IsLetter(c))
                {
                    letters++;
                    var slot = (c >= 'а' && c <= 'я') ? c - 'а' : (c >= 'a' && c <= 'z') ? 32 + (c - 'a') : 63;
                    if (!seen[slot])
                    {
                        seen[slot] = true;
                        distinct++;
                    }
                }
                token.Append(c);
            }
            else
            {
                Flush();
            }
        }
        Flush();
        var stems = ordered.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return new NormalizedText(letters, distinct, words, stems, stems.Length == 0 ? 0 : hash);
    }

    /// <summary>Jaccard similarity of two sets of stems (space-separated, as stored on tickets).</summary>
    public double SimilarityTo(string storedStems)
    {
        if (Stems.Count == 0 || string.IsNullOrEmpty(storedStems))
        {
            return 0;
        }
        // Walks the stored stems as spans: this runs for every past ticket of the requester, so no splitting.
        var span = storedStems.AsSpan();
        var common = 0;
        var count = 0;
        foreach (var range in span.Split(' '))
        {
            var stem = span[range];
            if (stem.IsEmpty)
            {
                continue;
            }
            count++;
            if (Contains(stem))
            {
                common++;
            }
        }
        var union = Stems.Count + count - common;
        return union == 0 ? 0 : (double)common / union;
    }

    private bool Contains(ReadOnlySpan<char> stem)
    {
        int lo = 0, hi = Stems.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = Stems[mid].AsSpan().SequenceCompareTo(stem);
            if (cmp == 0)
            {
                return true;
            }
            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return false;
    }

    private static bool IsCyrillic(string word)
    {
        foreach (var c in word)
        {
            if (c is >= 'а' and <= 'я')
            {
                return true;
            }
        }
        return false;
    }
}
