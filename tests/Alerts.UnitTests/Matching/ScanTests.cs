using Alerts.Core.Matching;

namespace Alerts.UnitTests.Matching;

/// <summary>The scan reads the original text: offsets, separators, ignored characters, and long texts cut in two halves.</summary>
public sealed class ScanTests
{
    private static readonly WatchlistMatcher Default = WatchlistMatcher.Compile(WatchlistJson.LoadDefault());

    [Fact]
    public void Match_KeyAcrossTheCutsOfALongText_FoundOnceWherever()
    {
        // Long texts are scanned as four quarters at once; a name may start before a cut and end after it.
        for (var padding = 0; padding < 600; padding++)
        {
            var text = new string('x', padding) + " North  Korea and Iran, " + new string('y', 600 - padding);

            var hits = Default.Match(new MatchInput(null, null, text)).Hits;

            var hit = Assert.Single(hits, h => h.Group == "North Korea");
            Assert.Equal((padding + 1, 12), (hit.Start, hit.Length));
            Assert.Single(hits, h => h.Group == "Iran");
        }
    }

    [Fact]
    public void Match_HitDenseLongText_EveryHitOnceInTextOrder()
    {
        // Hundreds of finds per quarter (more than the scan holds back to report in order), Latin and Cyrillic
        // names interleaved: the hits are those of each sentence read alone, shifted to where the sentence sits.
        const string Sentence = "Russia sent oil and Su-35 jets to Iran; Россия поставила Ирану нефть и С-300. ";
        var alone = Default.Match(new MatchInput(null, null, Sentence)).Hits;
        var text = string.Concat(Enumerable.Repeat(Sentence, 400));

        var hits = Default.Match(new MatchInput(null, null, text)).Hits;

        Assert.True(alone.Count >= 8, $"the sentence alone has {alone.Count} hits");
        var expected = Enumerable.Range(0, 400).SelectMany(i => alone.Select(h => (h.Term, h.Group, h.Start + (i * Sentence.Length), h.Length)));
        Assert.Equal(expected, hits.Select(h => (h.Term, h.Group, h.Start, h.Length)));
    }

    [Theory]
    [InlineData("North\u00A0 \u2014 Korea", "North\u00A0 \u2014 Korea")]
    [InlineData("Rus\u00ADsia", "Rus\u00ADsia")]
    [InlineData("пхеньян\u0301ом", "пхеньян\u0301ом")]
    [InlineData("(IRAN)", "IRAN")]
    public void Match_SeparatorRunsAndIgnoredCharacters_ReadAsOneForm(string text, string term)
    {
        var hits = Default.Match(new MatchInput(null, null, text)).Hits;

        Assert.Contains(hits, h => h.Term == term && h.Kind == HitKind.Entity);
    }
}
