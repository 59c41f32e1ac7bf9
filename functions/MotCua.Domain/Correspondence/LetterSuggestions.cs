using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MotCua.Domain.Text;

namespace MotCua.Domain.Correspondence;

/// <summary>
/// What the first page of an incoming paper letter suggests for its registration; the records
/// clerk confirms or corrects each field. A field is null when the page does not show it clearly.
/// <see cref="Number"/> is the digits before the first '/', <see cref="Notation"/> the rest
/// ("45/2026/QĐ-UBND" gives "45" and "2026/QĐ-UBND"); <see cref="DocumentType"/> is a
/// <see cref="LetterType.Name"/>; <see cref="Summary"/> the summary as printed ("V/v …" for an
/// official letter); <see cref="Priority"/> a <see cref="DocumentPriority"/> (0 normal, 1 khẩn,
/// 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ), null when the page is not recognisably an official
/// letter's; <see cref="SecretMarked"/> whether a secrecy stamp (mật, tối mật, tuyệt mật) is seen.
/// </summary>
public sealed record LetterSuggestion(
    string? Number,
    string? Notation,
    DateOnly? DocumentDate,
    string? Place,
    string? IssuingAgency,
    string? DocumentType,
    string? Summary,
    int? Priority,
    bool SecretMarked);

/// <summary>
/// Reads the fields of an official letter from its first page's text, laid out as Decree
/// 30/2020/NĐ-CP Appendix I sets it: the agency block top left, the national motto top right, the
/// number and notation under the agency with the place and date beside it, the summary ("V/v …")
/// under the number for an official letter, otherwise the type heading and the summary under it,
/// urgency and secrecy stamps under the number.
/// The text may come from a PDF's text layer (blocks one after another) or from OCR (both columns
/// on one line, wrong diacritics, stray marks): words are matched folded, columns are cut apart at
/// the motto and the date, and stray punctuation at the ends of lines is dropped.
/// </summary>
public static partial class LetterSuggestions
{
    private const int MaxSummaryLines = 4;

    public static LetterSuggestion FromFirstPage(string text)
    {
        var lines = PageLine.Split(text);

        var numberAt = -1;
        (string Number, string Notation)? code = null;
        for (var i = 0; i < lines.Count && code is null; i++)
        {
            code = NumberAndNotation(lines[i]);
            if (code is not null) numberAt = i;
        }

        var bodyAt = lines.FindIndex(l => l.StartsBody);
        var limit = bodyAt < 0 ? lines.Count : bodyAt;
        var (headingAt, headingType) = Heading(lines, numberAt + 1, limit);
        var headerEnd = headingAt >= 0 ? headingAt : limit;

        var (date, place) = DateAndPlace(lines, headerEnd);
        var (priority, secret) = Stamps(lines, headerEnd);
        // Capitals at the top of a page that has neither a number nor the motto are not taken for an agency.
        var looksOfficial = code is not null || lines.Any(l => l.MottoAt is not null);
        var agency = looksOfficial ? Agency(lines, numberAt >= 0 ? numberAt : headerEnd) : null;
        var subjectAt = lines.FindIndex(0, headerEnd, l => l.IsSubjectLine);

        string? summary = null;
        if (headingAt >= 0) summary = Summary(lines, headingAt + 1, subjectLine: false);
        else if (subjectAt >= 0) summary = Summary(lines, subjectAt, subjectLine: true);

        var type = headingType
            ?? (code is { } c ? TypeOfNotation(c.Notation) : null)
            ?? (subjectAt >= 0 ? LetterTypes.OfficialLetter : null);

        return new LetterSuggestion(
            code?.Number,
            code?.Notation,
            date,
            place,
            agency,
            type?.Name,
            summary,
            priority ?? (looksOfficial ? DocumentPriority.Normal : null),
            secret);
    }

    /// <summary>"Số: 123/UBND-VP" anywhere in the line, with a capital S (a "số 98/CĐ-TTg" in a sentence is a reference, not this letter's number).</summary>
    private static (string Number, string Notation)? NumberAndNotation(PageLine line)
    {
        var match = NumberPattern().Match(line.Folded);
        if (!match.Success || line.Text[match.Index] is not ('S' or '§' or '$')) return null;
        var number = match.Groups["number"].Value;
        var notation = CleanNotation(line.Text.Substring(match.Groups["notation"].Index, match.Groups["notation"].Length));
        return notation.Count(char.IsLetter) == 0 ? null : (number, notation);
    }

    private static string CleanNotation(string raw)
    {
        var builder = new StringBuilder(raw.Length);
        foreach (var c in raw)
        {
            switch (c)
            {
                case '\'' or '`' or '’' or '‘' or '"' or '“' or '”' or '„' or ',':
                    continue; // stray marks OCR reads inside the notation
                case '–' or '—' or '‐' or '‑':
                    builder.Append('-');
                    break;
                case 'Ð':
                    builder.Append('Đ');
                    break;
                default:
                    if (!char.IsLetterOrDigit(c) && c is not ('/' or '-' or '.' or '&')) return Trimmed(builder);
                    builder.Append(c);
                    break;
            }
        }
        return Trimmed(builder);

        static string Trimmed(StringBuilder b) => b.ToString().TrimEnd('.', '-', '/', '&');
    }

    private static LetterType? TypeOfNotation(string notation)
    {
        var last = notation.Split('/')[^1];
        var codePart = last.Split('-')[0];
        return codePart.Length == 0 ? null : LetterTypes.ByAbbreviation(codePart);
    }

    /// <summary>
    /// The first line after the number that is a type heading alone ("QUYẾT ĐỊNH", perhaps with a
    /// stray mark), before the body; one letter misread is forgiven in the longer headings when only
    /// one type comes that close.
    /// </summary>
    private static (int At, LetterType? Type) Heading(List<PageLine> lines, int from, int limit)
    {
        var headings = LetterTypes.All.Where(t => t.HasHeading).Select(t => (Type: t, Folded: PageLine.FoldAligned(t.Heading))).ToList();
        for (var i = from; i < limit; i++)
        {
            var words = lines[i].Words.SkipWhile(w => !w.Any(char.IsLetter)).ToList();
            var capitals = words.TakeWhile(InCapitals).ToList();
            if (capitals.Count == 0 || words.Skip(capitals.Count).Sum(w => w.Count(char.IsLetter)) >= 4) continue;
            var folded = PageLine.FoldAligned(string.Join(' ', capitals.Select(w => new string(w.Where(char.IsLetter).ToArray()))));
            var exact = headings.FirstOrDefault(h => h.Folded == folded).Type;
            if (exact is not null) return (i, exact);
            if (folded.Length < 9) continue;
            var near = headings.Where(h => PageLine.Distance(h.Folded, folded) <= 1).ToList();
            if (near.Count == 1) return (i, near[0].Type);
        }
        return (-1, null);

        // OCR reads a capital I as l now and then: a word of three letters or more with one such slip is still in capitals.
        static bool InCapitals(string word)
        {
            var letters = word.Where(char.IsLetter).ToList();
            var capitals = letters.Count(char.IsUpper);
            return letters.Count > 0 && (capitals == letters.Count || (letters.Count >= 3 && capitals == letters.Count - 1));
        }
    }

    /// <summary>The first "…, ngày 15 tháng 11 năm 2026" of the header; the place alone when the date cannot be read.</summary>
    private static (DateOnly? Date, string? Place) DateAndPlace(List<PageLine> lines, int limit)
    {
        string? placeOnly = null;
        foreach (var line in lines.Take(limit))
        {
            var match = DatePattern().Match(line.Folded);
            if (match.Success && ToDate(match) is { } date) return (date, PlaceBefore(line, match.Index));
            var place = PlacePattern().Match(line.Folded);
            if (place.Success) placeOnly ??= PlaceBefore(line, place.Index);
        }
        return (null, placeOnly);
    }

    private static DateOnly? ToDate(Match match)
    {
        var day = int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(match.Groups["month"].Value, CultureInfo.InvariantCulture);
        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (year is < 1945 or > 2200 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return null;
        return new DateOnly(year, month, day);
    }

    /// <summary>The capitalised words right before ", ngày": "Khánh Hòa", "Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh".</summary>
    private static string? PlaceBefore(PageLine line, int dateAt)
    {
        var before = line.Text[..dateAt].TrimEnd(' ', ',');
        var words = before.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var taken = new List<string>();
        for (var i = words.Length - 1; i >= 0 && taken.Count < 6; i--)
        {
            var word = words[i];
            var isName = word.Length > 1 && char.IsUpper(word[0]) && word.Skip(1).Where(char.IsLetter).Any(char.IsLower) && word.All(c => char.IsLetter(c) || c == '.');
            var isCityMark = word is "TP." or "TP" or "Tp." || (taken.Count > 0 && i > 0 && word is "phố" or "xã" or "trấn" && char.IsUpper(words[i - 1][0]));
            if (!isName && !isCityMark) break;
            taken.Insert(0, word);
        }
        return taken.Count == 0 || !char.IsUpper(taken[0][0]) ? null : string.Join(' ', taken);
    }

    /// <summary>Boxed stamps under the number: the highest urgency shown, and whether a secrecy stamp is.</summary>
    private static (int? Priority, bool Secret) Stamps(List<PageLine> lines, int limit)
    {
        int? priority = null;
        var secret = false;
        foreach (var line in lines.Take(limit).Where(l => l.IsStamp))
        {
            var folded = $" {PageLine.FoldAligned(string.Join(' ', line.Words.Select(w => new string(w.Where(char.IsLetter).ToArray())).Where(w => w.Length > 0)))} ";
            foreach (var (stamp, value) in LetterVocabulary.Urgency)
            {
                if (folded.Contains($" {stamp} ", StringComparison.Ordinal)) priority = Math.Max(priority ?? 0, value);
            }
            secret |= LetterVocabulary.Secrecy.Any(s => folded.Contains($" {s} ", StringComparison.Ordinal));
        }
        return (priority, secret);
    }

    /// <summary>
    /// The issuer: the agency block's capitals before the number, the motto and date cut away, read
    /// as names (a line that begins with an agency word starts a new one); the last name is the
    /// issuer, those above it its parents.
    /// </summary>
    private static string? Agency(List<PageLine> lines, int end)
    {
        var names = new List<List<string>>();
        for (var i = 0; i < end; i++)
        {
            var line = lines[i];
            if (line.NumberLike) break;
            if (line.IsSubjectLine || line.IsStamp) continue;
            var left = PageLine.Clean(line.LeftColumn);
            var letters = left.Count(char.IsLetter);
            if (letters < 2) continue;
            if (left.Count(char.IsUpper) < letters * 0.8)
            {
                if (names.Count > 0) break; // the block ended
                continue; // a stray mark above it
            }
            var folded = PageLine.FoldAligned(left);
            var words = left.Split(' ');
            var previous = names.Count > 0 ? names[^1][^1] : null;
            var continues = previous is not null && (previous.EndsWith(" VÀ", StringComparison.Ordinal) || previous.EndsWith('-') || previous.EndsWith(','));
            var startsName = !continues && words.Length > 1 && LetterVocabulary.AgencyHeads.Any(h => folded == h || folded.StartsWith(h + " ", StringComparison.Ordinal));
            if (names.Count == 0 || startsName) names.Add([left]);
            else names[^1].Add(left);
        }
        return names.Count == 0 ? null : string.Join(' ', names[^1]);
    }

    /// <summary>
    /// The summary from <paramref name="start"/>: a "V/v" line, or the lines under the heading;
    /// continued over lines that read as its continuation, not as a stamp, the heading's authority
    /// (capitals), the body (an opener such as "Căn cứ", or a line much longer than the summary's),
    /// and ended by a line much shorter than the others (the last line of wrapped text).
    /// </summary>
    private static string? Summary(List<PageLine> lines, int start, bool subjectLine)
    {
        var parts = new List<string>();
        var longest = 0;
        for (var i = start; i < lines.Count && parts.Count < MaxSummaryLines; i++)
        {
            var line = lines[i];
            if (line.IsBlank) continue;
            var text = PageLine.Clean(line.LeftColumn);
            if (i == start && subjectLine)
            {
                // "V/v" as printed, whatever OCR made of the slash; the summary may start on the next line.
                text = SubjectPrefix().Replace(text, string.Empty, 1);
                parts.Add("V/v");
                if (text.Length == 0) continue;
            }
            else
            {
                var letters = text.Count(char.IsLetter);
                if (letters < 2 || line.StartsBody || line.IsStamp || line.NumberLike) break;
                if (letters >= 4 && text.Count(char.IsUpper) >= letters * 0.8) break;
                if (longest > 0 && text.Length > longest * 1.2 + 4) break;
            }
            parts.Add(text);
            longest = Math.Max(longest, text.Length);
            // Wrapped text ends with its short line: after one, the summary is over.
            if (text.Length < longest * 0.7) break;
        }
        var summary = string.Join(' ', parts);
        return summary.Count(char.IsLetter) < (subjectLine ? 5 : 3) ? null : summary;
    }

    [GeneratedRegex(@"(?<![a-z0-9])[s§$]o?\s*[:;.,]?\s*(?<number>\d{1,7})\s*/\s*(?<notation>[^\s]+)")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"(?<![a-z])ngay\s*(?<day>\d{1,2})\s*thang\s*(?<month>\d{1,2})\s*nam\s*(?<year>\d{4})(?!\d)")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@",\s*ngay(?![a-z])")]
    private static partial Regex PlacePattern();

    [GeneratedRegex(@"^[vV]\s*[/\\|lIi1í!ỉ]\s*[vVyY](?![\p{L}\p{N}])[\s:.,]*")]
    private static partial Regex SubjectPrefix();
}
