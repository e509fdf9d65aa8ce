using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Alerts.Core.Feeds;

/// <summary>
/// Finds a feed's character encoding and turns its bytes into UTF-8 before the parser sees them, so
/// UTF-16/32 without a BOM, legacy code pages (KOI8-R, Shift_JIS, Big5, EUC-KR, ISO-8859-x) and
/// undeclared legacy bytes come out as the text the publisher wrote.
/// Order: BOM, UTF-16/32 byte pattern, HTTP charset, XML declaration, valid UTF-8, then a guess.
/// </summary>
public static partial class FeedEncoding
{
    private static readonly string[] Candidates = ["koi8-r", "windows-1251", "shift_jis", "euc-jp", "ks_c_5601-1987", "big5", "gb18030", "windows-1255", "windows-874", "windows-1252"];

    static FeedEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [GeneratedRegex("""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex Declaration();

    [GeneratedRegex("""charset\s*=\s*["']?([A-Za-z0-9._:\-]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex Charset();

    /// <summary>The body as UTF-8 with its XML declaration saying so, and the name of the encoding found.</summary>
    public static (byte[] Utf8, string Encoding) ToUtf8(byte[] body, string? contentType = null)
    {
        var (text, name) = Decode(body, contentType);
        text = text.TrimStart('\uFEFF');
        if (name != "utf-8")
        {
            text = Declaration().Replace(text, m => m.Value.Replace(m.Groups[1].Value, "utf-8", StringComparison.Ordinal), 1);
        }

        return (name == "utf-8" && body.Length > 0 && body[0] == '<' ? body : Encoding.UTF8.GetBytes(text), name);
    }

    public static (string Text, string Encoding) Decode(byte[] body, string? contentType = null)
    {
        var bytes = body.AsSpan();
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (Lenient(Encoding.UTF8, body, 3), "utf-8");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0, 0]))
        {
            return (Lenient(new UTF32Encoding(false, false), body, 4), "utf-32le");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF]))
        {
            return (Lenient(new UTF32Encoding(true, false), body, 4), "utf-32be");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (Lenient(Encoding.Unicode, body, 2), "utf-16le");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (Lenient(Encoding.BigEndianUnicode, body, 2), "utf-16be");
        }

        if (WideEncoding(bytes) is { } wide)
        {
            return (Lenient(wide.Encoding, body, 0), wide.Name);
        }

        // ASCII-compatible from here: the HTTP charset wins over the declaration (RFC 7303).
        var head = Encoding.Latin1.GetString(body, 0, Math.Min(body.Length, 1024));
        foreach (var declared in new[] { contentType is null ? null : Charset().Match(contentType) is { Success: true } c ? c.Groups[1].Value : null, Declaration().Match(head) is { Success: true } d ? d.Groups[1].Value : null })
        {
            if (Resolve(declared) is { } encoding && encoding.IsSingleByte | encoding.CodePage is not (1200 or 1201 or 12000 or 12001))
            {
                if (encoding.CodePage == 65001 && !IsUtf8(bytes))
                {
                    // Windows-1252 "smart quotes" sent as UTF-8: read the bytes for what they are.
                    return (Encoding.GetEncoding(1252).GetString(body), "windows-1252");
                }

                return (Lenient(encoding, body, 0), encoding.WebName);
            }
        }

        if (IsUtf8(bytes))
        {
            return (Encoding.UTF8.GetString(body), "utf-8");
        }

        var guess = Guess(body);
        return (guess.Text, guess.Name);
    }

    private static (Encoding Encoding, string Name)? WideEncoding(ReadOnlySpan<byte> bytes)
    {
        var n = Math.Min(bytes.Length, 256) & ~3;
        if (n < 8)
        {
            return null;
        }

        int[] zerosAt = new int[4];
        for (var i = 0; i < n; i++)
        {
            if (bytes[i] == 0)
            {
                zerosAt[i % 4]++;
            }
        }

        var quarter = n / 4;
        if (zerosAt[0] == quarter && zerosAt[1] == quarter && zerosAt[2] == quarter && zerosAt[3] < quarter / 4)
        {
            return (new UTF32Encoding(true, false), "utf-32be");
        }

        if (zerosAt[1] == quarter && zerosAt[2] == quarter && zerosAt[3] == quarter && zerosAt[0] < quarter / 4)
        {
            return (new UTF32Encoding(false, false), "utf-32le");
        }

        int even = zerosAt[0] + zerosAt[2], odd = zerosAt[1] + zerosAt[3], half = n / 2;
        if (even > half * 0.6 && odd < half * 0.1)
        {
            return (Encoding.BigEndianUnicode, "utf-16be");
        }

        if (odd > half * 0.6 && even < half * 0.1)
        {
            return (Encoding.Unicode, "utf-16le");
        }

        return null;
    }

    private static Encoding? Resolve(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        try
        {
            return Encoding.GetEncoding(name.Replace('_', '-') switch { "u16" or "utf16" => "utf-16", var n => n });
        }
        catch (ArgumentException)
        {
            return null; // encoding="bogus"
        }
    }

    private static bool IsUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    private static string Lenient(Encoding encoding, byte[] body, int skip) => encoding.GetString(body, skip, body.Length - skip);

    /// <summary>
    /// Undeclared legacy bytes: decode with each candidate strictly and keep the one whose text reads as
    /// one script (Cyrillic mostly lower-case, Japanese kana, Hangul, Hebrew, Thai, Latin letters).
    /// </summary>
    private static (string Text, string Name) Guess(byte[] body)
    {
        (string Text, string Name, double Score) best = (Encoding.GetEncoding(1252).GetString(body), "windows-1252", double.MinValue);
        foreach (var name in Candidates)
        {
            var strict = Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            string text;
            try
            {
                text = strict.GetString(body);
            }
            catch (DecoderFallbackException)
            {
                continue;
            }

            var score = Plausibility(text, name);
            if (score > best.Score)
            {
                best = (text, name, score);
            }
        }

        return (best.Text, best.Name);
    }

    // Letter frequencies (per mille) of running text: a right decoding matches them, a wrong one does not.
    private static readonly Dictionary<char, double> Russian = Frequencies("о110 е85 а80 и74 н67 т63 с55 р47 в45 л44 к35 м32 д30 п28 у26 я20 ы19 ь17 г17 з17 б16 ч14 й12 х10 ж9 ш7 ю6 ц5 щ4 э3 ф3");
    private static readonly Dictionary<char, double> Hebrew = Frequencies("י110 ו100 ה87 ל70 א60 מ60 ר50 ת50 ב45 נ45 ש40 ע35 ם30 ד25 כ25 ן20 ק20 ח20 פ15 ג13 ס10 צ10 ט10 ך10 ז8 ף5 ץ4");
    private static readonly Dictionary<char, double> Thai = Frequencies("า100 น70 ร60 อ50 ก50 ่50 เ45 ง40 ม40 ั30 ย30 ล30 ว30 ด30 ท30 ส30 ้30 ี30 ิ30 ต25 ะ20 ค20 ห20 บ20 ป20 ใ15 ไ15 แ15 ข15 พ15 ุ15 ู10 ื10 จ15 ช10 ็10 ์10 ถ5 ผ5 ภ5 ศ5 ษ5");

    private static Dictionary<char, double> Frequencies(string spec) =>
        spec.Split(' ').ToDictionary(e => e[0], e => double.Parse(e[1..], CultureInfo.InvariantCulture));

    /// <summary>Cosine between the text's letter counts and a language's letter frequencies.</summary>
    private static double Similarity(string text, Dictionary<char, double> expected)
    {
        var counts = new Dictionary<char, int>();
        foreach (var c in text)
        {
            if (c >= 128 && char.IsLetter(c) || char.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                var lower = char.ToLowerInvariant(c);
                counts[lower] = counts.GetValueOrDefault(lower) + 1;
            }
        }

        double dot = 0, observed = 0, model = expected.Values.Sum(v => v * v);
        foreach (var (c, n) in counts)
        {
            dot += n * expected.GetValueOrDefault(c);
            observed += (double)n * n;
        }

        return observed == 0 ? 0 : dot / Math.Sqrt(observed * model);
    }

    private const string CommonJapanese = "のにはをたがてでとしれさないるかもなっすこまりくうよ";
    private const string CommonKorean = "이다의는에하고을가지서한로기도사으리자대을를수있인들것정";
    private const string CommonChinese = "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵庆";
    private const string CommonChineseTraditional = "的一是不了在人有我他這個們中來上大為和國地到以說時要就出會也你對生能而子那得於著下自之年過發後作裡用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心她本前開但因只從想實日軍者意無力它與長把機十民第公此已工使情明性知全三又關點正業外將兩高間由問很最重並物手應戰向頭文體政美相見被利什二等產或新己制身果加西斯月話合回特代內信表化老給世位次度門任常先海通教兒原東聲提立及比員解水名真論處走義各入幾口認條平系氣題活爾更別打女變四神總何電數安少報才結反受目太量再感建務做接必場件計管期市直德資命山金指克許統區保至隊形社便空決治展馬科司五基眼書非則聽白卻界達光放強即像難且權思王象完設式色路記南品住告類求據程北邊死張該交規萬取拉格望覺術領共確傳師觀清今切院讓識候帶導爭運笑飛風步改收根乾造言聯持組每濟車親極林服快辦議往元英士證近失轉夫令準布始怎呢存未遠叫台單影具羅字愛擊流備兵連調深商算質團集百需價花黨華城石級整府離況亞請技際約示復病息究線似官火斷精滿支視消越器容照須九增研寫稱企八功嗎包片史委乎查輕易早曾除農找裝廣顯吧阿李標談吃圖念六引歷首醫局突專費號盡另周較注語僅考落青隨選列武紅響雖推勢參希古眾構房半節土投某案黑維革劃敵致陳律足態護七興派孩驗責營星夠章音跟志底站嚴巴例防族供效續施留講型料終答緊黃絕奇察母京段依批群項故按河米圍江織害鬥雙境客紀採舉殺攻父蘇密低朝友訴止細願千值仍男錢破網熱助倒育屬坐帝限船臉職速刻樂否剛威毛狀率甚獨球般普怕彈校苦創假久錯承印晚蘭試股拿腦預誰益陽若哪微尼繼送急血驚傷素藥適波夜省初喜衛源食險待述陸習置居勞財環排福納歡雷警獲模充負雲停木遊龍樹疑層冷洲衝射略範竟句室異激漢村哈策演簡卡罪判擔州靜退既衣您宗積餘痛檢差富靈協角佔配徵修皮揮勝降階審沉堅善媽劉讀啊超免壓銀買皇養伊懷執副亂抗犯追幫宣佛歲航優怪香著田鐵控稅左右份穿藝背陣草腳概惡塊頓敢守酒島託央戶烈洋哥索胡款靠評版寶座釋景顧弟登貨互付伯慢歐換聞危忙核暗姐介壞討麗良序升監臨亮露永呼味野架域沙掉括艦魚雜誤灣吉減編楚肯測敗屋跑夢散溫困劍漸封救貴槍缺樓縣尚毫移娘朋畫班智亦耳恩短掌恐遺固席松祕謝魯遇康慮幸均銷鐘詩藏趕劇票損忽巨炮舊端探湖錄葉春鄉附吸予禮港雨呀板庭婦歸睛飯額含順輸搖招婚脫補謂督毒油療旅澤材滅逐莫筆亡鮮詞聖擇尋廠睡博勒煙授諾倫岸奧唐賣俄炸載洛健堂旁宮喝借君禁陰園謀宋避抓榮姑孫逃牙束跳頂玉鎮雪午練迫爺篇肉嘴館遍凡礎洞卷坦牛寧紙諸訓私莊祖絲翻暴森塔默握戲隱熟骨訪弱蒙歌店鬼軟典欲薩伙遭盤爸擴蓋弄雄穩忘億刺擁徒姆楊齊賽趣曲刀床迎冰虛玩析窗醒妻透購替塞努休虎揚途侵刑綠兄迅套貿畢唯谷輪庫跡尤競街促延震棄甲偉麻川申緩潛閃售燈針哲絡抵朱埃抱鼓植純夏忍頁傑築折鄭貝尊吳秀混臣雅振染盛怒舞圓搞狂措姓殘秋培迷誠寬宇猛擺梅毀伸摩盟末乃悲拍丁趙慶";

    private static double Plausibility(string text, string name)
    {
        int nonAscii = 0, fitting = 0, odd = 0, common = 0, kana = 0, letters = 0, caseSwitches = 0;
        var common_ = name switch
        {
            "shift_jis" or "euc-jp" => CommonJapanese,
            "ks_c_5601-1987" => CommonKorean,
            "gb18030" => CommonChinese,
            "big5" => CommonChineseTraditional,
            _ => "",
        };
        var previous = ' ';
        foreach (var c in text)
        {
            if (char.IsLetter(c))
            {
                letters++;
                // "ёЛЮ", "àÐé": case changing inside a word is what a wrong single-byte decoding looks like.
                if (char.IsUpper(c) && char.IsLower(previous))
                {
                    caseSwitches++;
                }
            }

            previous = c;
            if (c < 128)
            {
                continue;
            }

            nonAscii++;
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Control or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate)
            {
                odd++;
            }

            if (common_.Contains(char.ToLowerInvariant(c), StringComparison.Ordinal))
            {
                common++;
            }

            if (c is >= '\u3040' and <= '\u30FF')
            {
                kana++;
            }

            var fits = name switch
            {
                "koi8-r" or "windows-1251" => c is >= '\u0400' and <= '\u04FF',
                "shift_jis" or "euc-jp" => c is >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF' or >= '\uFF00' and <= '\uFFEF' or >= '\u3000' and <= '\u303F',
                "ks_c_5601-1987" => c is >= '\uAC00' and <= '\uD7A3' or >= '\u3130' and <= '\u318F',
                "big5" or "gb18030" => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFFEF',
                "windows-1255" => c is >= '\u0590' and <= '\u05FF',
                "windows-874" => c is >= '\u0E00' and <= '\u0E7F',
                _ => char.IsLetter(c) && c <= '\u024F',
            };
            if (fits)
            {
                fitting++;
            }
        }

        if (nonAscii == 0)
        {
            return 0;
        }

        var score = (fitting - (3.0 * odd)) / nonAscii;
        score += 3.0 * common / nonAscii;
        score += 3.0 * name switch
        {
            "koi8-r" or "windows-1251" => Similarity(text, Russian),
            "windows-1255" => Similarity(text, Hebrew),
            "windows-874" => Similarity(text, Thai),
            _ => 0,
        };
        score -= 2.0 * caseSwitches / Math.Max(1, letters);
        if (name is "shift_jis" or "euc-jp" or "ks_c_5601-1987" or "big5" or "gb18030" && fitting >= 0.9 * nonAscii)
        {
            // Bytes that pair up into valid double-byte characters, all of the expected script, rarely do so by chance.
            score += 1;
        }

        if (name is "shift_jis" or "euc-jp")
        {
            // Kana are frequent in Japanese and absent elsewhere.
            score += 2.0 * kana / nonAscii;
        }

        return score;
    }
}
