using System.Text;
using MotCua.Domain.Text;

namespace MotCua.Domain.Search;

/// <summary>
/// The words a text is found by: folded (no diacritics, đ → d, lower case), so "nguyen thi" finds
/// "Nguyễn Thị". Codes and numbers keep their inner dots, dashes and slashes as one term
/// ("000.20.30.h56-261122-0001", "12/2024"), and also yield their parts.
/// </summary>
public static class SearchTerms
{
    public const int MaxTermLength = 64;

    public static IReadOnlyCollection<string> Of(string? text, int maxTerms = int.MaxValue)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text)) return terms;
        var folded = VietnameseText.Fold(text);
        var token = new StringBuilder();
        for (var i = 0; i <= folded.Length && terms.Count < maxTerms; i++)
        {
            var c = i < folded.Length ? folded[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                token.Append(c);
                continue;
            }
            // A joiner between two letters or digits stays inside the term.
            var joins = c is '.' or '-' or '/' && token.Length > 0 && i + 1 < folded.Length && char.IsLetterOrDigit(folded[i + 1]);
            if (joins)
            {
                token.Append(c);
                continue;
            }
            Add(terms, token.ToString());
            token.Clear();
        }
        return terms;
    }

    private static void Add(HashSet<string> terms, string token)
    {
        if (token.Length == 0) return;
        Keep(terms, token);
        if (token.AsSpan().IndexOfAny(".-/") < 0) return;
        foreach (var part in token.Split(['.', '-', '/'], StringSplitOptions.RemoveEmptyEntries)) Keep(terms, part);
    }

    /// <summary>One-letter words ("ở", "và" folds to two) carry no meaning for search; single digits may.</summary>
    private static void Keep(HashSet<string> terms, string term)
    {
        if (term.Length > MaxTermLength) term = term[..MaxTermLength];
        if (term.Length >= 2 || char.IsDigit(term[0])) terms.Add(term);
    }
}
