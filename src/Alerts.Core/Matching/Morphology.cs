using System.Buffers;
using System.Collections.Frozen;

namespace Alerts.Core.Matching;

/// <summary>Writing systems whose words the matcher inflects.</summary>
internal enum Script
{
    Latin,
    Cyrillic,
    Arabic,
    Hangul,
    Other,
}

/// <summary>
/// Word forms per language, checked only where an alias was found (never on the whole text), so a
/// Russian or Persian item costs a few set look-ups per hit.
/// <list type="bullet">
/// <item>Russian: an alias matches a word when both are one stem plus a case ending (Россия, России,
/// Россией; северная корея, северной кореи; боеприпасы, боеприпасов), without a hand-written <c>*</c>.</item>
/// <item>Persian: the same with plural, possessive, ezafe and indefinite suffixes (پهپاد، پهپادهای،
/// پهپادهایش؛ ایران، ایرانی), after <see cref="TextFolder"/> has joined what the zero-width non-joiner
/// separated.</item>
/// <item>Korean: an alias starts a word and particles or a compound's tail may follow (북한이, 러시아산);
/// topic words also end compounds (자폭드론, 탄도미사일을).</item>
/// </list>
/// </summary>
/// <remarks>
/// Why not Lucene.Net's analyzers (Lucene.Net.Analysis.Common 4.8.0-beta00017, tried): both its Russian
/// stemmers are built for common nouns and disagree with themselves on the proper nouns this matcher
/// lives on — Snowball stems иран to "ира" but ираном to "иран", the light stemmer корея to "кор" but
/// кореи to "коре" — so comparing stems would drop case forms of the very names watched. Comparing
/// against a closed set of endings instead is exact for names and nouns alike, allocates nothing, and
/// keeps a 4 MB dependency out of the Functions package. Its Persian analyzer has no stemmer (only the
/// normalisation, which the fold table does per character) and Korean has none.
/// </remarks>
internal static class Morphology
{
    /// <summary>Russian noun and adjective endings (ё folded to е); "" is the bare form.</summary>
    private static readonly FrozenSet<string> RussianEndings = FrozenSet.Create(StringComparer.Ordinal,
    [
        "", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й",
        "ом", "ем", "ой", "ей", "ою", "ею", "ам", "ям", "ах", "ях", "ов", "ев", "ий", "ия", "ии", "ию", "ие",
        "ье", "ья", "ьи", "ью", "ьей", "ьям", "ьях", "ьев", "ьями", "ами", "ями", "ией", "ием", "ьем", "иям", "иях", "иями",
        "ый", "ая", "яя", "ое", "ее", "ые", "ого", "его", "ому", "ему", "ым", "им", "ых", "их", "ыми", "ими", "ую", "юю",
    ]);

    /// <summary>Persian plural, possessive, ezafe and indefinite suffixes, and their chains (folded: Persian yeh, no ZWNJ).</summary>
    private static readonly FrozenSet<string> PersianSuffixes = BuildPersianSuffixes();

    /// <summary>Korean particles and the endings that make a noun an adjective of origin (러시아산, 러시아제, 북한측).</summary>
    private static readonly FrozenSet<string> KoreanParticles = FrozenSet.Create(StringComparer.Ordinal,
    [
        "", "이", "가", "은", "는", "을", "를", "의", "에", "에서", "에게", "에게서", "께", "와", "과", "도", "만", "로", "으로",
        "까지", "부터", "나", "이나", "랑", "이랑", "들", "들이", "들을", "들은", "들의", "들과", "들도", "에는", "에도", "에서는",
        "에서도", "으로는", "로는", "와의", "과의", "에서의", "으로의", "로의", "이다", "이며", "이고", "인", "이라는", "라는",
        "등", "등을", "등이", "등의", "등은", "처럼", "보다", "조차", "마저", "으로부터", "로부터", "산", "제", "측", "용",
    ]);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Russian = RussianEndings.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Persian = PersianSuffixes.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Korean = KoreanParticles.GetAlternateLookup<ReadOnlySpan<char>>();

    private const int MinRussianStem = 3;
    private const int MinPersianStem = 3;

    public static Script ScriptOf(ReadOnlySpan<char> folded)
    {
        foreach (var c in folded)
        {
            switch (c)
            {
                case >= '\u0400' and <= '\u04FF': return Script.Cyrillic;
                case >= '\u0600' and <= '\u06FF': return Script.Arabic;
                case >= '\uAC00' and <= '\uD7A3' or >= '\u1100' and <= '\u11FF' or >= '\u3130' and <= '\u318F': return Script.Hangul;
                // Korean headlines abbreviate countries with hanja (北, 中, 美): read like Hangul.
                case >= '\u4E00' and <= '\u9FFF': return Script.Hangul;
                case >= 'a' and <= 'z': return Script.Latin;
            }
        }

        return folded.ContainsAnyInRange('\u0080', '\uFFFF') ? Script.Other : Script.Latin;
    }

    /// <summary>True when the scripts inflect by endings the matcher knows (Russian, Persian).</summary>
    public static bool Inflects(Script script) => script is Script.Cyrillic or Script.Arabic;

    /// <summary>
    /// The shortest stem of a folded alias word that its endings allow: the automaton looks for it,
    /// and <see cref="IsForm"/> decides whether the word found is a form of the alias.
    /// </summary>
    public static string ShortestStem(string word, Script script)
    {
        var (endings, min) = Endings(script);
        var best = word.Length;
        for (var cut = 1; cut <= 4 && word.Length - cut >= min; cut++)
        {
            if (AliasEnding(word.AsSpan(word.Length - cut), script, endings))
            {
                best = word.Length - cut;
            }
        }

        return word[..best];
    }

    /// <summary>
    /// True when <paramref name="word"/> (folded) is a form of <paramref name="alias"/> (folded): both
    /// are one stem plus an ending of the language (the bare word counts as an ending).
    /// </summary>
    public static bool IsForm(ReadOnlySpan<char> alias, ReadOnlySpan<char> word, Script script)
    {
        if (alias.SequenceEqual(word))
        {
            return true;
        }

        if (!Inflects(script))
        {
            return false;
        }

        var (endings, min) = Endings(script);
        for (var cut = 0; cut <= 4 && alias.Length - cut >= min; cut++)
        {
            var stem = alias[..^cut];
            if ((cut == 0 || AliasEnding(alias[^cut..], script, endings)) && word.StartsWith(stem) && endings.Contains(word[stem.Length..]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// What an alias may shed to meet other forms. A Persian alias sheds only the adjective or ezafe yeh
    /// (ایرانی meets ایران): a plural is often a word of its own (واردات, imports; وارد, entered).
    /// </summary>
    private static bool AliasEnding(ReadOnlySpan<char> ending, Script script, FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> endings) =>
        script == Script.Arabic ? ending is "ی" or "ای" : endings.Contains(ending);

    /// <summary>True when what follows a Korean noun in its word is particles (or nothing).</summary>
    public static bool IsKoreanParticle(ReadOnlySpan<char> rest) => Korean.Contains(rest);

    /// <summary>
    /// A Korean word that ends in a verb ending rather than a noun: 보내, 넘겼, 사들이, 들여온, 발사한. Sino-Korean nouns of
    /// dealing (수출, 공급, 협력) end in none of these syllables.
    /// </summary>
    public static bool IsKoreanVerbForm(ReadOnlySpan<char> folded) =>
        !folded.IsEmpty && KoreanVerbEndings.Contains(folded[^1]);

    private static readonly SearchValues<char> KoreanVerbEndings = SearchValues.Create(
        "이여였인일고기내낸냈겨긴겼네넨넸와온왔오어은았었할한했된될돼됐며는가간갔아워운든들드붓쐈쏴쏜준줬받");

    /// <summary>
    /// A Korean verb in the past tense that joins its clause to the next: 했고, 보냈으며, 밝혔지만 (did, and …). What comes
    /// after is another clause ("북한은 … 핵실험까지 했고 … 이란과 처지가 다르다"). The past marker ㅆ keeps out nouns that
    /// merely end in 고 or 며 (광고, 보고).
    /// </summary>
    public static bool IsKoreanPastClauseEnd(ReadOnlySpan<char> word)
    {
        static bool Past(char c) => IsHangulSyllable(c) && (c - '\uAC00') % 28 == 20; // final consonant ㅆ
        return (word.Length >= 2 && word[^1] == '고' && Past(word[^2]))
            || (word.Length >= 3 && word[^1] == '며' && word[^2] == '으' && Past(word[^3]))
            || (word.Length >= 3 && word[^1] == '만' && word[^2] == '지' && Past(word[^3]));
    }

    /// <summary>A precomposed Hangul syllable (가 … 힣).</summary>
    public static bool IsHangulSyllable(char c) => c is >= '\uAC00' and <= '\uD7A3';

    /// <summary>Persian verbs take می، ب، ن before the stem (می‌فرستند، بفرستد، نفرستاد): a link may follow one in its word.</summary>
    public static bool IsPersianVerbPrefix(ReadOnlySpan<char> folded) =>
        folded is "می" or "ب" or "ن" or "نمی" or "همی";

    private static (FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Endings, int Min) Endings(Script script) =>
        script == Script.Cyrillic ? (Russian, MinRussianStem) : (Persian, MinPersianStem);

    private static FrozenSet<string> BuildPersianSuffixes()
    {
        // Plural, then an optional indefinite/ezafe yeh or a possessive pronoun: پهپادهای، موشک‌هایش، نفتکش‌هایمان.
        string[] plurals = ["", "ها", "های", "ان", "ات", "یان", "گان"];
        string[] after = ["", "ی", "یی", "ای", "ایی", "م", "ت", "ش", "ام", "ات", "اش", "مان", "تان", "شان", "یم", "یت", "یش", "یمان", "یتان", "یشان"];
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in plurals)
        {
            foreach (var a in after)
            {
                set.Add(p + a);
            }
        }

        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}
