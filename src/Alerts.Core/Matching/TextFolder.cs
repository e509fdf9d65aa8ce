using System.Globalization;

namespace Alerts.Core.Matching;

/// <summary>
/// How text and aliases meet: letters and digits lower-cased, every run of other characters (spaces,
/// punctuation, hyphens, apostrophes) one space, so "North Korean-made" and "north korean made" are
/// alike, and so are "Iran's" and "iran s". Persian is normalised as Persian writers vary: Arabic
/// yeh and kaf are read as the Persian letters, teh marbuta and heh with yeh as heh, and the
/// zero-width non-joiner, diacritics and the tatweel are ignored (پهپاد‌ها, پهپادها). Russian ё is е.
/// </summary>
/// <remarks>
/// Text is never copied into a folded buffer: the automata read the original characters through
/// these tables (one array read per character), so offsets need no mapping back. The tables cost
/// 192 KiB once per process.
/// </remarks>
internal static class TextFolder
{
    /// <summary>A character the matcher reads as nothing at all (inside a word).</summary>
    public const char Ignored = '\0';

    /// <summary>Dense automaton symbols: space, a–z, 0–9, any other letter, ignored.</summary>
    public const int Symbols = 39;

    public const byte SpaceSymbol = 0;
    public const byte OtherSymbol = 37;
    public const byte IgnoredSymbol = 38;

    /// <summary>Every character's folded form: a lower-case letter or digit, ' ' for a separator, <see cref="Ignored"/>.</summary>
    public static readonly char[] Fold = BuildFold();

    /// <summary>Every character's symbol in the dense (ASCII) automaton.</summary>
    public static readonly byte[] Symbol = BuildSymbols();

    /// <summary>True for a character that belongs to a word (a letter, a digit, or one the matcher ignores inside words).</summary>
    public static bool IsWord(char c) => Symbol[c] != SpaceSymbol;

    /// <summary>Folds an alias the way text is read: separators collapsed to one space, trimmed, ignored characters dropped.</summary>
    public static string FoldAlias(ReadOnlySpan<char> alias)
    {
        var buffer = alias.Length <= 256 ? stackalloc char[alias.Length] : new char[alias.Length];
        var n = 0;
        foreach (var c in alias)
        {
            var f = Fold[c];
            if (f == Ignored || (f == ' ' && (n == 0 || buffer[n - 1] == ' ')))
            {
                continue;
            }

            buffer[n++] = f;
        }

        if (n > 0 && buffer[n - 1] == ' ')
        {
            n--;
        }

        return new string(buffer[..n]);
    }

    /// <summary>
    /// The older fold, kept as it was because story keys (<c>ItemNormalizer</c>) are hashes of it: a
    /// change would make stories stored before it look new. Matching uses <see cref="FoldAlias"/>.
    /// </summary>
    public static string FoldTerm(string term)
    {
        var buffer = new char[term.Length];
        var n = 0;
        var pendingSpace = false;
        foreach (var c in term)
        {
            var f = c < 128 ? (char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ') : LegacyFoldNonAscii(c);
            if (f == ' ')
            {
                pendingSpace = n > 0;
                continue;
            }

            if (pendingSpace)
            {
                buffer[n++] = ' ';
                pendingSpace = false;
            }

            buffer[n++] = f;
        }

        return new string(buffer, 0, n);
    }

    private static char[] BuildFold()
    {
        var table = new char[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            table[c] = FoldOne((char)c);
        }

        return table;
    }

    private static byte[] BuildSymbols()
    {
        var table = new byte[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var f = Fold[c];
            table[c] = f switch
            {
                ' ' => SpaceSymbol,
                Ignored => IgnoredSymbol,
                >= 'a' and <= 'z' => (byte)(f - 'a' + 1),
                >= '0' and <= '9' => (byte)(f - '0' + 27),
                _ => OtherSymbol,
            };
        }

        return table;
    }

    private static char FoldOne(char c)
    {
        if (c < 128)
        {
            return char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ';
        }

        switch (c)
        {
            case '\u064A' or '\u0649': return '\u06CC'; // Arabic yeh, alef maksura -> Farsi yeh
            case '\u0643': return '\u06A9';             // Arabic kaf -> keheh
            case '\u0629' or '\u06C0': return '\u0647'; // teh marbuta, heh with yeh above -> heh
            case 'ё' or 'Ё': return 'е';
            case '\u200C' or '\u200D' or '\u00AD' or '\u0640': return Ignored; // ZWNJ, ZWJ, soft hyphen, tatweel
            case >= '\u06F0' and <= '\u06F9': return (char)('0' + (c - '\u06F0')); // Persian digits: سوخو-۳۵ is Su-35
            case >= '\u0660' and <= '\u0669': return (char)('0' + (c - '\u0660')); // Arabic-Indic digits
        }

        switch (char.GetUnicodeCategory(c))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.DecimalDigitNumber:
                var lower = char.ToLowerInvariant(c);
                return lower < 128 ? c : lower; // the Kelvin sign and dotted capital I stay out of the ASCII alphabet
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
                // Arabic harakat and other combining marks are optional in writing: read past them.
                return Ignored;
            default:
                return ' ';
        }
    }

    private static char LegacyFoldNonAscii(char c)
    {
        switch (c)
        {
            case '\u064A' or '\u0649': return '\u06CC';
            case '\u0643': return '\u06A9';
            case 'ё' or 'Ё': return 'е';
        }

        return char.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.OtherLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.DecimalDigitNumber => char.ToLowerInvariant(c),
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark => c,
            _ => ' ',
        };
    }
}
