using System.Text;
using System.Text.RegularExpressions;
using MotCua.Domain.Text;

namespace MotCua.Domain.Correspondence;

/// <summary>
/// One line of a page's text, NFC with single spaces, and its folded copy of the same length
/// (each character folded on its own: no diacritics, đ → d, lower case), so a match found in the
/// folded copy is cut from the original at the same place.
/// </summary>
internal sealed partial class PageLine
{
    private PageLine(string text)
    {
        Text = text;
        Folded = FoldAligned(text);
        Words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var motto = MottoPattern().Match(Folded);
        MottoAt = motto.Success ? motto.Index : null;
        LeftColumn = LeftOf(text);
        var clean = Clean(text);
        var cleanFolded = FoldAligned(clean);
        StartsBody = StartsWithOpener(clean, cleanFolded);
        IsSubjectLine = SubjectPattern().IsMatch(clean);
        NumberLike = NumberLabel().IsMatch(cleanFolded);
        var lettered = Words.Where(w => w.Any(char.IsLetter)).Select(w => new string(w.Where(char.IsLetter).ToArray())).ToList();
        IsStamp = lettered.Count is > 0 and <= 4
            && lettered.All(w => w.All(char.IsUpper))
            && lettered.All(w => StampWords.Contains(FoldAligned(w)));
    }

    private static readonly HashSet<string> StampWords =
    [
        .. LetterVocabulary.Urgency.SelectMany(u => u.Stamp.Split(' ')),
        .. LetterVocabulary.Secrecy.SelectMany(s => s.Split(' ')),
    ];

    public string Text { get; }
    public string Folded { get; }
    public IReadOnlyList<string> Words { get; }
    public bool IsBlank => Text.Length == 0;

    /// <summary>Where the national motto starts in this line, if it is on it.</summary>
    public int? MottoAt { get; }

    /// <summary>The line without the motto and the place and date: what the left column holds when OCR read both columns as one line.</summary>
    public string LeftColumn { get; }

    /// <summary>The line opens the body: "Kính gửi", "Căn cứ", "Thực hiện", a numbered point …</summary>
    public bool StartsBody { get; }

    /// <summary>The line is an official letter's summary: "V/v …" (OCR reads the slash as í, l, 1 or |).</summary>
    public bool IsSubjectLine { get; }

    /// <summary>The line is a number's label ("Số:"), even when the number could not be read.</summary>
    public bool NumberLike { get; }

    /// <summary>The line holds only urgency or secrecy stamps in capitals.</summary>
    public bool IsStamp { get; }

    /// <summary>
    /// The page's lines; a run of three spaces or more (a text layer read with its layout kept) parts
    /// two columns, which are taken as separate lines, left first.
    /// </summary>
    public static List<PageLine> Split(string text)
    {
        var lines = new List<PageLine>();
        var normalized = SafeText.ForDisplay(text).Normalize(NormalizationForm.FormC);
        foreach (var raw in normalized.Split(['\n', '\f']))
        {
            var segments = ColumnGap().Split(raw.Replace('\t', ' ').Replace('\r', ' ').Trim());
            foreach (var segment in segments)
            {
                lines.Add(new PageLine(Spaces().Replace(segment.Replace('Ð', 'Đ').Replace('ð', 'đ'), " ").Trim()));
            }
        }
        return lines;
    }

    public static string FoldAligned(string text)
    {
        var folded = new char[text.Length];
        for (var i = 0; i < text.Length; i++) folded[i] = Fold(text[i]);
        return new string(folded);
    }

    private static char Fold(char c)
    {
        if (c is 'đ' or 'Đ' or 'Ð' or 'ð') return 'd';
        if (c < 128 || char.IsSurrogate(c)) return char.ToLowerInvariant(c);
        return char.ToLowerInvariant(c.ToString().Normalize(NormalizationForm.FormD)[0]);
    }

    /// <summary>Edit distance (insertions, deletions, substitutions) between two short texts.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>
    /// The line without stray marks at its ends: OCR reads rules, box edges and specks as "_", "-",
    /// "|", quotes, dots or a lone consonant. Commas stay at the end (a summary may break after one).
    /// </summary>
    public static string Clean(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 0 && IsStray(words[0])) words.RemoveAt(0);
        while (words.Count > 0 && IsStray(words[^1])) words.RemoveAt(words.Count - 1);
        if (words.Count == 0) return string.Empty;
        words[0] = words[0].TrimStart(LeadingJunk);
        words[^1] = words[^1].TrimEnd(TrailingJunk);
        return string.Join(' ', words).Trim();
    }

    private static readonly char[] LeadingJunk = [.. "_-–—'\"„“”‘’`~•*+#=¦|¡!?§:;.,ˆ›‹«»^°"];
    private static readonly char[] TrailingJunk = [.. "_-–—'\"„“”‘’`~•*+#=¦|¡!?§:;.ˆ›‹«»^°"];

    private static bool IsStray(string word) =>
        !word.Any(char.IsLetterOrDigit) || (word.Length == 1 && "bcdfghjklmnpqrstvwxz".Contains(word[0], StringComparison.Ordinal));

    private static bool StartsWithOpener(string clean, string folded)
    {
        if (clean.Length == 0) return false;
        if (folded.StartsWith("kinh gui", StringComparison.Ordinal) || folded.StartsWith("noi nhan", StringComparison.Ordinal)) return true;
        if (NumberedPoint().IsMatch(clean)) return true;
        var first = clean.Split(' ')[0];
        var sentenceCase = char.IsUpper(first[0]) && (first.Count(char.IsLetter) == 1 || first.Skip(1).Where(char.IsLetter).Any(char.IsLower));
        if (!sentenceCase) return false;
        if (DatedOpener().IsMatch(folded)) return true;
        return LetterVocabulary.BodyOpeners.Any(o => folded == o || folded.StartsWith(o + " ", StringComparison.Ordinal) || folded.StartsWith(o + ":", StringComparison.Ordinal));
    }

    private string LeftOf(string text)
    {
        var cut = MottoAt ?? text.Length;
        var date = DateStart().Match(Folded);
        if (date.Success && date.Index < cut)
        {
            // Back over the capitalised place name before ", ngày".
            var start = date.Index;
            var before = text[..start].TrimEnd(' ', ',');
            var words = before.Split(' ');
            var end = before.Length;
            for (var i = words.Length - 1; i >= 0 && words.Length - i <= 6; i--)
            {
                var word = words[i];
                if (word.Length == 0 || !(char.IsUpper(word[0]) || word is "phố" or "xã" or "trấn")) break;
                if (word.Where(char.IsLetter).Count() > 2 && word.Where(char.IsLetter).All(char.IsUpper)) break;
                end -= word.Length + (i > 0 ? 1 : 0);
            }
            cut = Math.Max(0, Math.Min(cut, end));
        }
        return text[..cut].Trim();
    }

    [GeneratedRegex(@"(?<![a-z])(?:cong\W*hoa\W*xa\W*hoi|chu\W*nghia\W*viet\W*nam|doc\W*lap\W*[-~]*\W*tu\W*do|tu\W*do\W*[-~]*\W*hanh\W*phuc)(?![a-z])")]
    private static partial Regex MottoPattern();

    [GeneratedRegex(@",?\s*(?<![a-z])ngay\s*\d")]
    private static partial Regex DateStart();

    [GeneratedRegex(@"^[vV]\s*[/\\|lIi1í!ỉ]\s*[vVyY](?![\p{L}\p{N}])")]
    private static partial Regex SubjectPattern();

    [GeneratedRegex(@"^[s§$]o?\s*[:;]")]
    private static partial Regex NumberLabel();

    [GeneratedRegex(@"^(?:\d{1,2}|[IVX]{1,4})[.)]\s")]
    private static partial Regex NumberedPoint();

    [GeneratedRegex(@"^ngay\s*\d")]
    private static partial Regex DatedOpener();

    [GeneratedRegex(@"\s{3,}")]
    private static partial Regex ColumnGap();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
