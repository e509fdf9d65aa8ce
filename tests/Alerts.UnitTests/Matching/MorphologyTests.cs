using Alerts.Core.Matching;

namespace Alerts.UnitTests.Matching;

/// <summary>Word forms per language: Russian case endings, Persian suffixes and spellings, Korean particles and compounds.</summary>
public sealed class MorphologyTests
{
    private static readonly WatchlistMatcher Default = WatchlistMatcher.Compile(WatchlistJson.LoadDefault());

    [Theory]
    [InlineData("поставки в России", "Россия")]
    [InlineData("вместе с Россией", "Россия")]
    [InlineData("власти Северной Кореи", "Северная Корея")]
    [InlineData("в Северную Корею", "Северная Корея")]
    [InlineData("передала КНДР", "КНДР")]
    [InlineData("переговоры с Ираном", "Иран")]
    [InlineData("партия боеприпасов", "боеприпасы")]
    [InlineData("поставки истребителей", "истребитель")]
    [InlineData("запуск беспилотников", "беспилотник")]
    [InlineData("цены на нефть", "нефть")]
    [InlineData("экспорт газа", "газ")]
    [InlineData("ракетами", "ракета")]
    [InlineData("پهپادهای ایرانی", "پهپاد")]
    [InlineData("پهپاد‌های ایرانی", "پهپاد")]
    [InlineData("پهپادهایش", "پهپاد")]
    [InlineData("نيروهاي ايراني", "ایران")]
    [InlineData("موشک‌ها", "موشک")]
    [InlineData("북한이 러시아에", "북한")]
    [InlineData("러시아산 원유", "러시아")]
    [InlineData("자폭드론을 보냈다", "드론")]
    [InlineData("순항미사일 발사", "미사일")]
    [InlineData("대북 정제유 공급", "정제유")]
    [InlineData("北·러 무기 거래", "北")]
    public void Match_InflectedForm_HitsTheAlias(string text, string alias)
    {
        var result = Default.Match(new MatchInput(null, null, text));

        Assert.Contains(result.Hits, h => h.Alias == alias);
    }

    [Theory]
    [InlineData("газета пишет", "газ")]          // a newspaper is no gas
    [InlineData("россиянин", "Россия")]          // a Russian citizen: another word
    [InlineData("нефтяник", "нефть")]
    [InlineData("فردوسی شاعر است", "فردو")]      // the poet Ferdowsi is not the Fordow plant
    [InlineData("러닝 열풍", "러")]              // one syllable takes particles only
    [InlineData("인도했다", "인도")]             // handed over: no India
    [InlineData("무기한 연기", "무기")]          // indefinitely: excluded
    [InlineData("정유사들이 원유 물량을 늘렸다", "사들이")] // refiners: a verb is no compound's tail
    [InlineData("회사들이 석유에 몰렸다", "사들이")]   // companies
    [InlineData("제재받은 러시아 선박", "받은")]      // sanctioned, not received
    public void Match_LookAlikeWord_IsNoHit(string text, string alias)
    {
        var result = Default.Match(new MatchInput(null, null, text));

        Assert.DoesNotContain(result.Hits, h => h.Alias == alias);
    }

    [Theory]
    [InlineData("Россия поставляет нефть в КНДР", true)]
    [InlineData("Кирби: Россия намерена купить у КНДР артиллерийские снаряды", true)]
    [InlineData("Россия напрямую снабжает Северную Корею нефтью", true)]
    [InlineData("Китай нарастил закупки российской нефти", false)]
    [InlineData("북한, 러시아에 포탄 수백만 발 공급", true)]
    [InlineData("이란은 러시아에 드론을 넘겼다", true)]
    [InlineData("러시아산 석유 수입 금지 검토에 국제유가 폭등…이란 핵협상도 난항", false)]
    [InlineData("ایران به روسیه پهپاد ارسال کرد", true)]
    [InlineData("شرکت‌های ایرانی پهپاد می‌سازند و به روسیه می‌فرستند", true)]
    [InlineData("سقف قیمت نفت روسیه پایین آمد؛ بحران تازه برای صادرات نفت ایران", false)]
    public void Match_HeadlineInRussianKoreanPersian_FlagsOnlyDealings(string title, bool expected)
    {
        var result = Default.Match(new MatchInput(title, null, null));

        Assert.True(expected == result.Matched, $"{title}: {result.Reason} (score {result.Score})");
    }

    [Theory]
    [InlineData("했고", true)]
    [InlineData("보냈으며", true)]
    [InlineData("밝혔지만", true)]
    [InlineData("있고", true)]
    [InlineData("광고", false)] // a noun that ends in 고
    [InlineData("보고", false)]
    [InlineData("하며", false)] // not past: no ㅆ before it
    [InlineData("하지만", false)]
    [InlineData("고", false)]
    public void IsKoreanPastClauseEnd_PastVerbsThatJoinClauses(string word, bool expected)
    {
        Assert.Equal(expected, Morphology.IsKoreanPastClauseEnd(word));
    }
}
