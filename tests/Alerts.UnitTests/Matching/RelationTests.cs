using Alerts.Core.Matching;

namespace Alerts.UnitTests.Matching;

/// <summary>Who deals with whom: lists, outsiders, agreements, words of use, products, title and lead.</summary>
public sealed class RelationTests
{
    private static readonly WatchlistMatcher Default = WatchlistMatcher.Compile(WatchlistJson.LoadDefault());

    [Theory]
    // Parallel lists are no dealing between their members.
    [InlineData("Tankers carrying oil from Russia, Iran and Venezuela dodge sanctions", null, false)]
    [InlineData("Oil climbs on curbs on Russian and Iranian crude", null, false)]
    [InlineData("Russia and Iran export more oil as prices climb", null, false)]
    // ... unless an agreement word joins them.
    [InlineData("Russia and Iran sign an oil swap deal", null, true)]
    [InlineData("Trade in oil between Moscow and Pyongyang doubles", null, true)]
    // Korean names two parties in one word (북러, 북·러); a headline's "…" parts it as a colon does.
    [InlineData("북러 군사협력 강화…무기 거래 우려", null, true)]
    [InlineData("북중러 정상 회동…무기 협력 논의", null, false)]
    [InlineData("북·러 정상회담 열려…북한은 같은 날 미사일 발사", null, false)]
    // Third parties and outsiders own their dealings.
    [InlineData("India buys Russian oil as the Iran war chokes supply", null, false)]
    [InlineData("Chinese refiners turn to Iranian oil while Russian crude sales to China slow", null, false)]
    // An outsider's possessive owns the noun of dealing and the parties that modify it; "even as" starts a clause.
    [InlineData("Turkey's Russian S-400 purchase angers Iran", null, false)]
    [InlineData("Sanctions threaten Turkey's planned purchase of Russian S-400s and its investment in Iran", null, false)]
    [InlineData("Refiners cut purchases of Russian crude even as Iran ships more oil", null, false)]
    [InlineData("Russia's Su-35 sale to Iran is done", null, true)]
    [InlineData("중국의 이란산 원유 수입에 러시아도 가세", null, false)]
    [InlineData("북한의 러시아 포탄 공급이 늘었다", null, true)]
    // Strikes on Iran are about Iran as a target, in every language (as "strikes on Iran" in English).
    [InlineData("Удары по Ирану помогли российской нефти", null, false)]
    // Diplomacy is no dealing; OPEC+ is an outsider; a news outlet is a source, not a party.
    [InlineData("Russia exchanged views with Iran on the oil market", null, false)]
    [InlineData("Iranian and Russian ministers discussed cooperation within OPEC+ on oil", null, false)]
    [InlineData("KCNA carried a statement quoting Tehran on its ballistic missiles", null, false)]
    [InlineData("TASS: North Korea ships shells to Russia", null, true)]
    // An outsider buying one maker's goods and dropping the other's; "as" and a name start a clause.
    [InlineData("Индия увеличила закупки российской нефти и прекратила импорт иранской", null, false)]
    [InlineData("هند خرید نفت روسیه را افزایش داد و واردات نفت ایران را متوقف کرد", null, false)]
    [InlineData("인도, 러시아산 원유 수입 늘리고 이란산 원유 수입 중단", null, false)]
    [InlineData("Iran's oil exports hit a record as Russia trims production", null, false)]
    [InlineData("North Korea is emerging as Russia's main supplier of shells", null, true)]
    [InlineData("Drones identified as Iranian Shaheds were launched by Russia", null, true)]
    // A Persian name before the goods is their subject, not their maker; a Korean one with a case particle neither.
    [InlineData("ایران گاز روسیه را از طریق آذربایجان وارد می‌کند", null, true)]
    [InlineData("روسیه قرار است بالگردهای رزمی به ایران بفروشد", null, true)]
    [InlineData("러시아 유조선, 북한 남포항에 석유 하역", null, true)]
    [InlineData("이란이 설계한 자폭 드론, 러시아 공장서 생산", null, true)]
    [InlineData("Russian tankers unload fuel at North Korea's Nampo port", null, true)]
    // Korean lists with a maker's 산 between dots; a Korean user stands before its word of use.
    [InlineData("중국, 러시아·이란산 원유 수입 사상 최대", null, false)]
    [InlineData("이란 미사일 공격에 러시아 \"자제\" 촉구", null, false)]
    [InlineData("러시아군이 운용하는 북한제 자주포 포착", null, true)]
    // Payment and arrival are words of dealing; "pay the price" is not.
    [InlineData("Moscow paid Tehran in gold for drones", null, true)]
    [InlineData("Iran pays the price for Russia's oil war", null, false)]
    [InlineData("Северокорейские снаряды прибывают в Россию по железной дороге", null, true)]
    [InlineData("북한산 포탄 실은 열차, 러시아 도착", null, true)]
    // A Persian verb and "و" start a new clause; Persian words of dealing as participles and present forms.
    [InlineData("بازار نگران صادرات نفت ایران است و روسیه همچنان به آسیا نفت می‌فروشد", null, false)]
    [InlineData("روسیه اعلام کرده است که از ایران پهپاد خریده است", null, true)]
    // Evading sanctions is one party's act, no dealing between two.
    [InlineData("US sanctions Russian banks over sanctions evasion tied to Iranian oil", null, false)]
    // ... but whoever acts, a transfer whose object is one party's product bound for the other is their dealing.
    [InlineData("EU sanctions firms for supplying Iranian drones to Russia", null, true)]
    [InlineData("США наказали компании за доставку иранских ракет для российской армии", null, true)]
    [InlineData("India buys Russian oil and Iranian gas", null, false)]
    [InlineData("Ukraine is firing North Korean rockets at Russian troops", null, false)]
    // One party and another's product: the gazetteer knows where a weapon comes from.
    [InlineData("Tehran will receive Su-35s next month", null, true)]
    [InlineData("Russia fired North Korean KN-23 missiles at Kharkiv", null, true)]
    [InlineData("Shahed drones launched by Russia hit Odesa", null, true)]
    [InlineData("Russian fuel for North Korean shells", null, true)]
    [InlineData("Weapons were sent from the North to Russia", "North Korea denies it.", true)]
    [InlineData("North Korea in breach of UN cap: Russia ships fuel", "Tankers loaded diesel at Vostochny for Nampo, satellite images show.", true)]
    // A visit whose purpose is a supply; a thing produced for the other party is supplied to it.
    [InlineData("Lavrov's visit to Tehran aimed to secure drone supplies", null, true)]
    [InlineData("Lavrov's visit to Tehran came as oil supplies to China rose", null, false)]
    [InlineData("North Korea produces shells for Russia", null, true)]
    [InlineData("Россия производит дроны для Ирана", null, true)]
    [InlineData("Russia fires missiles for Iran's sake", null, false)]
    // Agreements "with" the other party, not a deal the other only mentions.
    [InlineData("Russia signs oil deal with Iran", null, true)]
    [InlineData("Trump: leaving the Iran nuclear deal is a signal to North Korea about missiles", null, false)]
    // Title and lead as one unit: the dealing in one, the topic in the other.
    [InlineData("Gazprom eyes Iran's gas market", "Moscow and Tehran signed a memorandum, and a firm contract is expected soon.", true)]
    [InlineData("US sanctions on Russia and Iran could disrupt oil supply chains", "The curbs hit Russian and Iranian crude exports.", false)]
    // Round 3 (dev3 split): a signer of the other's goods, "mutual", designations written joined, the topic inside a
    // company's name, military-technical cooperation; peers in an enumeration, a maker's own sales, adjectives.
    [InlineData("Russian firms signed contracts to develop Iranian oil fields", null, true)]
    [InlineData("Газпром нефть подписала меморандум о работе на иранских месторождениях", null, true)]
    [InlineData("Москва и Пхеньян отрицают взаимные поставки вооружений", null, true)]
    [InlineData("Russia fired two KN23 missiles at Kyiv, debris shows they were made in North Korea", null, true)]
    [InlineData("روسیه تحویل سامانه اس۳۰۰ به ایران را آغاز کرد", null, true)]
    [InlineData("Shoigu discussed military-technical cooperation with Iran in Tehran", null, true)]
    [InlineData("Threats over trade with Iran put the fleet that moves oil for producers such as Russia, Iran and Venezuela in focus", null, false)]
    [InlineData("Brent rose on fears the West will sanction Russian oil sales and on stalled talks on Iran's nuclear deal", null, false)]
    [InlineData("Russian oil sales to Iran doubled last year", null, true)]
    [InlineData("Sanctions pushed Russian cargoes onto a market awash with Iranian supply", null, false)]
    // Round 4 (dev4 split): more words of dealing (منتقل, перекачивали, попросил), submarines as arms, the other's goods
    // before an agreement word; market headlines, an idiom, a word that is the goods.
    [InlineData("کشتی‌ها سلاح از ایران به روسیه منتقل می‌کردند", null, true)]
    [InlineData("Российские танкеры перекачивали топливо на северокорейские суда в море", null, true)]
    [InlineData("Тегеран попросил Москву о современных системах ПВО", null, true)]
    [InlineData("Москва передала Пхеньяну реакторы со списанных подлодок", null, true)]
    [InlineData("Russian firms eye $20 billion in Iranian oil and gas contracts", null, true)]
    [InlineData("China's crude imports from Russia rose while imports from Iran fell", null, false)]
    [InlineData("Brent tops $100 on supply worries", "Russia sent more fuel to Iran by rail, traders said.", false)]
    [InlineData("Russia ships fuel to Iran by rail as oil prices climb", null, true)]
    [InlineData("کیم جونگ اون سفرش به روسیه را به پایان رساند و از موشک‌ها بازدید کرد", null, false)]
    [InlineData("مقام روس: ایران در تسلیحات موشکی چهارم جهان است", null, false)]
    [InlineData("وزیر خارجه روسیه گفت آمریکا می‌کوشد محدودیت‌های تسلیحاتی ایران را تمدید کند", null, false)]
    // Round 5 (dev5 split): a known weapon of one country in a theatre of another's war, transshipment in Korean, Russian
    // "договаривались", the Korean name of the KN-23; a satellite on a Soyuz rocket is no missile.
    [InlineData("Debris of a Hwasong-11 missile was found in Kharkiv", null, true)]
    [InlineData("Ukraine's air force says it downed 610 Shahed drones since September", null, true)]
    [InlineData("Iran showed its Shahed drones at a parade; separately, Ukraine reported heavy fighting", null, false)]
    [InlineData("러시아 선박이 북한 선박에 석유를 환적했다", null, true)]
    [InlineData("КСИР и Россия договаривались о поставках дронов", null, true)]
    [InlineData("하르키우에 떨어진 미사일, 北 화성-11가로 확인", null, true)]
    [InlineData("ماهواره ایرانی با موشک سایوز روسیه به فضا فرستاده شد", null, false)]
    // Round 6 (dev6 split, Russian and Persian): loading is a word of dealing in Russian.
    [InlineData("Судно, загруженное в Иране боеприпасами, пришло в российский порт Оля", null, true)]
    public void Match_Item_FlagsOnlyDealingsBetweenWatchedParties(string title, string? summary, bool expected)
    {
        var result = Default.Match(new MatchInput(title, summary, null));

        Assert.True(expected == result.Matched, $"{title}: {result.Reason} (score {result.Score})");
    }

    [Fact]
    public void Match_ParaphrasesOfOurOwn_EveryLineAsLabelled()
    {
        // Data/paraphrases.tsv: typical headlines (and a few leads) in four languages, written to find the
        // categories the rules miss; known limits are commented out there with their reason.
        var wrong = new List<string>();
        var lines = 0;
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "paraphrases.tsv")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var columns = line.Split('\t');
            var result = Default.Match(new MatchInput(columns[2], columns.Length > 3 ? columns[3] : null, null));
            lines++;
            if (result.Matched != (columns[0] == "1"))
            {
                wrong.Add($"{columns[1]} {columns[2]}: {result.Reason}");
            }
        }

        Assert.True(lines >= 200, $"{lines} lines");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Theory]
    [InlineData("Russia ships refined oil to North Korea", MatchConfidence.High)]
    [InlineData("Russia and North Korea oil: prices, talks and the winter", MatchConfidence.Low)]
    [InlineData("Russia, North Korea and oil", MatchConfidence.Low)]
    public void Match_Evidence_GradedByConfidence(string title, MatchConfidence confidence)
    {
        var result = Default.Match(new MatchInput(title, null, null));

        Assert.Equal(confidence, result.Confidence);
    }

    [Fact]
    public void Match_OneCountryOnly_HasNoConfidence()
    {
        var result = Default.Match(new MatchInput("North Korea test-fires a ballistic missile", null, null));

        Assert.Null(result.Confidence);
        Assert.False(result.Matched);
    }

    [Fact]
    public void Match_GazetteerName_ExplainsHowItGotThere()
    {
        var result = Default.Match(new MatchInput("Tehran will receive Su-35s next month", null, null));

        var hit = Assert.Single(result.Hits, h => h.Term == "Su-35s");
        Assert.Equal(("Russia", HitKind.Entity), (hit.Group, hit.Kind));
        Assert.StartsWith("Su-35 → Russian multirole fighter", hit.Via, StringComparison.Ordinal);
        Assert.EndsWith("→ Russia, arms", hit.Via, StringComparison.Ordinal);
        Assert.Contains("arms", result.Topics);
        Assert.Contains("Su-35 →", result.Reason, StringComparison.Ordinal);
    }
}
