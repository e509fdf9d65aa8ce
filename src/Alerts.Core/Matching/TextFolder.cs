using System.Globalization;

namespace Alerts.Core.Matching;

/// <summary>
/// Folds text for matching: letters and digits lower-cased, every run of other characters
/// (spaces, punctuation, hyphens, apostrophes) becomes one space. "North Korean-made" and
/// "north korean made" fold alike, and so do "Iran's" and "iran s", so aliases and text meet
/// in one form. Each folded character remembers where it came from, so hits point into the
/// original text.
/// </summary>
internal static class TextFolder
{
    /// <summary>Folds <paramref name="text"/> into <paramref name="folded"/> (same length or longer than text).</summary>
    /// <returns>The folded length; <paramref name="hasNonAscii"/> says whether a non-ASCII letter is present.</returns>
    public static int Fold(ReadOnlySpan<char> text, Span<char> folded, Span<int> origin, out bool hasNonAscii)
    {
        var n = 0;
        var nonAscii = false;
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            char f;
            if (c < 128)
            {
                if ((uint)(c - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9)
                {
                    f = c;
                }
                else if ((uint)(c - 'A') <= 'Z' - 'A')
                {
                    f = (char)(c | 0x20);
                }
                else
                {
                    pendingSpace = n > 0;
                    continue;
                }
            }
            else
            {
                f = FoldNonAscii(c);
                if (f == ' ')
                {
                    pendingSpace = n > 0;
                    continue;
                }

                nonAscii = true;
            }

            if (pendingSpace)
            {
                folded[n] = ' ';
                origin[n] = i - 1;
                n++;
                pendingSpace = false;
            }

            folded[n] = f;
            origin[n] = i;
            n++;
        }

        hasNonAscii = nonAscii;
        return n;
    }

    /// <summary>Folds an alias the same way as text, returning the folded string.</summary>
    public static string FoldTerm(string term)
    {
        var buffer = new char[term.Length];
        var origin = new int[term.Length];
        var n = Fold(term, buffer, origin, out _);
        return new string(buffer, 0, n);
    }

    private static char FoldNonAscii(char c)
    {
        switch (c)
        {
            // Arabic-script letters Persian writes differently: fold to the Persian forms.
            case '\u064A': return '\u06CC'; // Arabic yeh -> Farsi yeh
            case '\u0649': return '\u06CC'; // alef maksura -> Farsi yeh
            case '\u0643': return '\u06A9'; // Arabic kaf -> keheh
            case 'ё' or 'Ё': return 'е';
            case '\u00A0': return ' ';
        }

        var category = char.GetUnicodeCategory(c);
        switch (category)
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.DecimalDigitNumber:
                return char.ToLowerInvariant(c);
            // Combining marks (Arabic diacritics, Hangul jamo combining forms) stay inside the word.
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
                return c;
            default:
                return ' ';
        }
    }
}
