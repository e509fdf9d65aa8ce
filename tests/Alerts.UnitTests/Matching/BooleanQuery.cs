using System.Text.RegularExpressions;

namespace Alerts.UnitTests.Matching;

/// <summary>
/// The baseline the matcher has to beat: what a careful user would type into Google Alerts, in all
/// four languages — two of the three countries named AND an oil, gas, fuel or arms word, anywhere in
/// the title and lead. Words match as a search engine finds them: English whole words and plurals,
/// Russian stems with any ending, Korean and Persian words with any particle or suffix after them
/// (Persian read with Persian yeh and kaf, the zero-width non-joiner dropped). Not a strawman: it is
/// told every spelling of the countries the matcher's watchlist knows by name, and a broad topic list.
/// </summary>
internal static class BooleanQuery
{
    private static readonly Regex[] Countries =
    [
        Words(
            ["Iran", "Iranian", "Tehran"],
            ["иран", "тегеран"],
            ["이란", "테헤란"],
            ["ایران", "تهران"]),
        Words(
            ["North Korea", "North Korean", "N. Korea", "DPRK", "Pyongyang"],
            ["кндр", "северн\\w* коре", "пхеньян"],
            ["북한", "평양", "조선민주주의인민공화국"],
            ["کره شمالی", "کرهی شمالی", "پیونگ یانگ", "پیونگیانگ"]),
        Words(
            ["Russia", "Russian", "Moscow", "Kremlin"],
            ["росси", "москв", "кремл"],
            ["러시아", "모스크바", "크렘린"],
            ["روسیه", "مسکو", "کرملین"]),
    ];

    private static readonly Regex Topics = Words(
        ["oil", "crude", "gas", "LNG", "fuel", "diesel", "gasoline", "petrol", "petroleum", "tanker", "refined products",
         "arms", "weapon", "weaponry", "missile", "drone", "ammunition", "munitions", "shell", "artillery", "rocket"],
        ["нефт", "газ\\b", "газа\\b", "газом\\b", "газу\\b", "спг", "топлив", "бензин", "дизел", "танкер",
         "оруж", "вооружени", "ракет", "дрон", "беспилотник", "снаряд", "боеприпас", "артиллер"],
        ["석유", "원유", "가스", "연료", "정유", "유조선", "무기", "미사일", "드론", "무인기", "포탄", "탄약"],
        ["نفت", "گاز", "سوخت", "بنزین", "گازوئیل", "سلاح", "تسلیحات", "موشک", "پهپاد", "مهمات"]);

    /// <summary>True when the title and lead name two of the three countries and a topic word.</summary>
    public static bool Matches(string? title, string? lead)
    {
        var text = Normalise($"{title}\n{lead}");
        return Countries.Count(c => c.IsMatch(text)) >= 2 && Topics.IsMatch(text);
    }

    private static string Normalise(string text) =>
        text.Replace('\u064A', '\u06CC').Replace('\u0643', '\u06A9').Replace("\u200C", "", StringComparison.Ordinal).Replace('ё', 'е').Replace('Ё', 'Е');

    /// <summary>English: whole words with an optional plural; Russian: word starts (stems); Korean and Persian: word starts.</summary>
    private static Regex Words(string[] english, string[] russian, string[] korean, string[] persian)
    {
        var parts = english.Select(w => $@"\b{Regex.Escape(w).Replace(@"\ ", @"\s+", StringComparison.Ordinal)}(?:s|es)?\b")
            .Concat(russian.Select(w => $@"(?<!\w){w.Replace(" ", @"\s+", StringComparison.Ordinal)}"))
            .Concat(korean.Concat(persian).Select(w => $@"(?<!\w){Regex.Escape(w).Replace(@"\ ", @"\s+", StringComparison.Ordinal)}"));
        return new Regex(string.Join("|", parts), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }
}
