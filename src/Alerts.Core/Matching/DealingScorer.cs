using System.Buffers;
using System.Collections.Frozen;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Alerts.Core.Matching;

/// <summary>
/// Scores who deals with whom, once an item names the rule's groups. A sentence is read as clauses
/// (split at "as the", "while", "amid", semicolons, dashes, brackets…) and noun phrases ("Russian
/// crude", "Iran's drones", a gazetteer weapon); a word of dealing is a dealing between two watched
/// countries only when it governs both — one on each side ("Tehran will receive Su-35s"), or a product
/// of one and then the other ("supplying Iranian drones to Russia"), or, in Korean and Persian, both
/// before the verb — and is not claimed by a third party right beside it ("India buys Russian oil",
/// "sales to China"). Countries in one list ("from Russia, Iran and Venezuela", "curbs on Russian and
/// Iranian crude") are parallel, not dealing, unless an agreement word joins them ("Russia and Iran sign
/// an oil swap"). Words of use (fired, launched) count only for one country's product in another's hands.
/// </summary>
internal sealed partial class DealingScorer(Watchlist watchlist)
{
    private const int ThirdPartyReach = 25; // characters between a word of dealing and a third party that claims it
    private const int EvidenceMaxChars = 400;

    // Weights: one clause that describes a dealing reaches the default minScore of 3 (with the 1 for the
    // groups); the title and lead read together nearly do; weaker evidence adds up only when there is a lot.
    private const double DealingWeight = 3;
    private const double UnitWeight = 2;
    private const double LooseWeight = 0.75;
    private const double CoMentionWeight = 0.5;
    private const double WindowLinkWeight = 0.6;
    private const double WindowWeight = 0.25;
    private const double TitleWeight = 0.5;

    /// <summary>What a word between two hits says about them; one look-up per word.</summary>
    [Flags]
    private enum WordClass
    {
        None = 0,

        /// <summary>Joins a list: "and", "or", "и", "و", "및".</summary>
        Coordinator = 1,

        /// <summary>Starts a new clause: "while", "amid", "but", "однако", "اما".</summary>
        Clause = 2,

        /// <summary>"as" starts a clause before these ("as the war chokes supply"), not in "identified as North Korean".</summary>
        Starter = 4,

        /// <summary>Between a country and its product: "Iranian-made drones", "Russia's oil".</summary>
        Made = 8,

        /// <summary>Between a product and its maker: "oil from Russia", "missiles made in North Korea".</summary>
        From = 16,

        /// <summary>"between Moscow and Pyongyang": the list that follows is two sides of one dealing.</summary>
        Between = 32,

        /// <summary>"as", whose reading depends on the next word.</summary>
        As = 64,

        /// <summary>"such", "well", "known", "identified", "serves"…: "such as", "known as Geran", "serves as" start no clause.</summary>
        NotClauseAs = 128,

        /// <summary>"with": the other side of an agreement.</summary>
        With = 256,

        /// <summary>"from … to …": a dealing's two ends.</summary>
        Source = 512,

        /// <summary>"to", "into": where a transfer goes.</summary>
        Destination = 1024,

        /// <summary>"Russian fuel for North Korean shells": one product paid with another.</summary>
        For = 2048,

        /// <summary>"visits", "meets": a delegation and its hosts.</summary>
        Meet = 4096,

        /// <summary>"even", "just": "even as" and "just as" always start a clause.</summary>
        ClauseAs = 8192,

        /// <summary>A Persian verb that ends a clause: with "و" after it a new clause begins ("… است و روسیه …").</summary>
        VerbEnd = 32768,

        /// <summary>Words of use that make a thing (the aliases of the default watchlist's "uses"): "produces shells for Russia".</summary>
        Produce = 16384,

        /// <summary>"mutual", "взаимные", "متقابل", "상호": a word of dealing after it is between the list before it.</summary>
        Mutual = 65536,

        /// <summary>Words of arrival (the aliases of the default watchlist's): goods arrive, and so do visitors.</summary>
        Arrive = 131072,

        /// <summary>Words of negotiation: weaker than a deal, they need the goods named in their own clause.</summary>
        Negotiate = 262144,

        /// <summary>Before a name, it makes the name a place: "over Ukraine", "в Харькове", "در اوکراین".</summary>
        Place = 524288,

        /// <summary>An office before its country: "Шойгу и министр обороны Ирана", "پوتین و رئیس‌جمهور ایران" are a list of two sides.</summary>
        Office = 1048576,

        /// <summary>"accusations", "rumours", "обвинения": an outsider named with it accuses, it does not deal ("обвинения Вашингтона в отправке …").</summary>
        Accuse = 2097152,

        /// <summary>"message", "послание", "delegation", "대표단": what an envoy hands over, or who is sent, is no goods ("Шойгу передал Ким Чен Ыну послание").</summary>
        Message = 4194304,

        /// <summary>"together", "вместе", "همراه", "함께": "together with" names a partner in the same act, not the other side of a deal.</summary>
        Together = 8388608,
    }

    private static readonly WordTable<WordClass> WordLookup = new(BuildWords());

    /// <summary>For ASCII words, bit <c>length</c> of entry <c>first letter</c> says some class word has that shape.</summary>
    private static readonly uint[] Shapes = BuildShapes();

    private static bool MayBeClassWord(char first, int length)
    {
        if (length >= 16)
        {
            return false;
        }

        var f = TextFolder.Fold[first];
        return f >= 128 || (f < Shapes.Length && (Shapes[f] & (1u << length)) != 0);
    }

    private static uint[] BuildShapes()
    {
        var shapes = new uint[128];
        foreach (var word in WordLookup.Words)
        {
            if (word[0] < 128)
            {
                shapes[word[0]] |= 1u << word.Length;
            }
        }

        return shapes;
    }

    private static Dictionary<string, WordClass> BuildWords()
    {
        var words = new Dictionary<string, WordClass>(StringComparer.Ordinal);
        void Add(WordClass c, params string[] list)
        {
            foreach (var w in list)
            {
                words[w] = words.GetValueOrDefault(w) | c;
            }
        }

        Add(WordClass.Coordinator, "and", "or", "nor", "both", "plus", "also", "s", "as", "well", "и", "или", "также", "а", "و", "یا", "및", "과", "와", "그리고");
        Add(WordClass.Clause,
            "while", "whereas", "amid", "amidst", "although", "though", "despite", "because", "but", "after", "before", "since",
            "when", "if", "unless", "however", "meanwhile", "whether", "where", "during",
            "но", "однако", "хотя", "поскольку", "пока", "после", "тогда", "несмотря", "если", "ведь", "потому", "поэтому", "причем", "где",
            "اما", "ولی", "زیرا", "چون", "حالی", "اگر", "درحالیکه", "درحالی",
            "하지만", "그러나", "반면");
        Add(WordClass.Starter, "the", "a", "an", "it", "its", "they", "their", "he", "she", "we", "this", "these", "those", "both", "many", "some", "prices", "sanctions");
        Add(WordClass.Made, "s", "made", "built", "designed", "produced", "supplied", "origin", "manufactured", "производства", "ساخت", "설계한", "개발한", "제작한");
        Add(WordClass.With, "with", "с", "со", "با");
        Add(WordClass.Source, "from", "via", "at", "из", "от", "через", "از");
        Add(WordClass.Destination, "to", "into", "for", "в", "во", "для", "به"); // "loaded diesel at Vostochny for Nampo"
        Add(WordClass.For, "for", "за", "для", "برای");
        Add(WordClass.Meet, "visit", "visits", "visited", "meet", "meets", "met", "host", "hosts", "hosted", "welcomes", "welcomed");
        Add(WordClass.From, "from", "of", "made", "in", "produced", "built", "из", "از");
        Add(WordClass.Between, "between", "among", "между", "بین", "میان");
        Add(WordClass.Mutual, "mutual", "reciprocal", "взаимные", "взаимных", "взаимными", "взаимный", "взаимной", "взаимное", "взаимного", "взаимным",
            "متقابل", "상호");
        Add(WordClass.As, "as");
        Add(WordClass.NotClauseAs, "such", "well", "known", "identified", "described", "designated", "dubbed", "named", "seen", "regarded", "listed",
            "same", "serve", "serves", "served", "act", "acts", "acted", "acting");
        Add(WordClass.ClauseAs, "even", "just");
        Add(WordClass.VerbEnd, "است", "بود", "بودند", "شد", "شدند", "شده", "شود", "میشود", "کرد", "کردند", "کرده", "کند", "کنند", "میکند", "میکنند",
            "دارد", "دارند", "داد", "دادند", "گفت", "گفتند");
        Add(WordClass.Produce, "build", "builds", "built", "produce", "produces", "produced", "producing", "production", "make", "makes", "making", "manufactur", "assembl",
            "производ", "произвед", "изготов", "изготавлива", "собира", "собра", "сборк", "تولید", "ساخته", "생산", "제작", "조립", "만든", "만들", "만드");
        Add(WordClass.Arrive, "arrive", "arrives", "arrived", "arriving", "arrival", "прибыва", "прибуд", "رسید", "رسیده", "رسیدند", "도착");
        Add(WordClass.Negotiate, "negotiat", "переговор", "مذاکره", "مذاکرات", "협상");
        Add(WordClass.Office, "his", "its", "counterpart", "minister", "president", "его", "министр", "глава", "президент", "премьер", "вице", "лидер",
            "руководитель", "председатель", "посол", "начальник", "обороны", "иностранных", "дел", "мид", "генштаба", "коллега",
            "وزیر", "رئیس", "رئیسجمهور", "جمهور", "دفاع", "خارجه", "امور", "سفیر", "رهبر", "همتای");
        Add(WordClass.Accuse, "accusation", "accusations", "allegation", "allegations", "rumour", "rumours", "rumor", "rumors",
            "обвинение", "обвинения", "обвинений", "обвинениям", "обвинениями", "слухи", "слухов", "слухам", "слухами");
        Add(WordClass.Together, "together", "alongside", "вместе", "совместно", "همراه", "بههمراه", "함께");
        Add(WordClass.Message, "message", "messages", "letter", "letters", "greetings", "invitation", "congratulations", "condolences",
            "послание", "послания", "письмо", "письма", "приветствие", "приветствия", "привет", "приглашение", "поздравление", "поздравления", "соболезнования",
            "delegation", "delegations", "envoy", "envoys", "делегацию", "делегации", "делегаций", "대표단을", "대표단", "사절단을", "사절단", "특사를", "특사");
        Add(WordClass.Place, "in", "into", "on", "onto", "over", "at", "across", "near", "inside", "throughout", "в", "во", "на", "по", "над", "под", "у", "در", "بر", "فراز");
        return words;
    }

    private readonly MatchRule _rule = watchlist.Rule;

    /// <summary>What one sentence (or the title with its lead) shows.</summary>
    private enum Strength
    {
        None,
        CoMention,
        Loose,
        Dealing,
    }

    public MatchResult Score(in MatchInput input, ReadOnlySpan<Located> located, List<Hit> hits, List<string> entities, List<string> topics)
    {
        var sentences = SplitSentences(input, located);
        var sentenceScore = new TopThree();
        var windowScore = new TopThree();
        int dealings = 0, loose = 0, coMentions = 0, unread = 0, windows = 0, windowLinks = 0;
        Sentence? best = null;
        var bestWeight = -1.0;
        string? how = null;
        for (var i = 0; i < sentences.Count; i++)
        {
            var s = sentences[i];
            double weight;
            if (Enough(s.Entities, s.Topics))
            {
                if (dealings >= 3)
                {
                    // The three best sentences are already dealings: no other can raise the score.
                    unread++;
                    continue;
                }

                var (strength, why) = Analyze(input, located, s.First, s.First + s.Count);
                s.Strength = strength;
                switch (strength)
                {
                    case Strength.Dealing:
                        weight = DealingWeight;
                        dealings++;
                        how ??= why;
                        break;
                    case Strength.Loose:
                        weight = LooseWeight;
                        loose++;
                        break;
                    default:
                        weight = CoMentionWeight;
                        coMentions++;
                        break;
                }

                sentenceScore.Add(weight);
                weight += 10; // a whole sentence of evidence beats any window for the evidence shown
            }
            else
            {
                // Across sentences, a word of dealing counts only where its own sentence names a watched
                // party: "barred from buying weapons" after a headline naming two countries is no dealing.
                ulong e = s.Entities, t = s.Topics;
                var links = s.Entities != 0 ? s.Links : 0;
                foreach (var n in (ReadOnlySpan<int>)[i - 1, i + 1])
                {
                    if (n >= 0 && n < sentences.Count && Adjacent(sentences[n], s))
                    {
                        e |= sentences[n].Entities;
                        t |= sentences[n].Topics;
                        links += sentences[n].Entities != 0 ? sentences[n].Links : 0;
                    }
                }

                weight = Enough(e, t) ? (links > 0 ? WindowLinkWeight : WindowWeight) : 0;
                if (weight > 0)
                {
                    windows++;
                    windowLinks += links > 0 ? 1 : 0;
                    windowScore.Add(weight);
                }

                weight += BitOperations.PopCount(s.Entities) + (BitOperations.PopCount(s.Topics) * 0.5) + (s.Links > 0 ? 0.25 : 0);
            }

            if (weight > bestWeight)
            {
                bestWeight = weight;
                best = s;
            }
        }

        // The title and the lead are read as one unit: a dealing described in one of them ("Moscow and Tehran
        // signed a memorandum") is about the topic the other names ("Gazprom eyes Iran's gas market"). The
        // dealing itself must stand within one of them: across the two, any two names would do.
        double unitScore = 0;
        var title = sentences.Find(s => s.Field == ItemField.Title);
        var lead = sentences.Find(s => s.Field != ItemField.Title && s.Index == 0);
        if (dealings == 0 && title is not null && lead is not null && Enough(title.Entities | lead.Entities, title.Topics | lead.Topics))
        {
            foreach (var part in (ReadOnlySpan<Sentence>)[title, lead])
            {
                if (part.Strength == Strength.None && BitOperations.PopCount(part.Entities) >= _rule.MinEntityGroups
                    && Analyze(input, located, part.First, part.First + part.Count) is (Strength.Dealing, var why))
                {
                    unitScore = UnitWeight;
                    how ??= why + " (title and lead read together)";
                    break;
                }
            }
        }

        // A headline that names one side, a topic and a word of dealing adds a little ("Russia ships fuel", the other side in
        // the lead), unless it names an outsider too ("India buys Russian oil"); one that names both is read as a sentence.
        var titleScore = title is not null && title.Entities != 0 && title.Topics != 0 && title.Links > 0 && title.ThirdParties == 0
            && !Enough(title.Entities, title.Topics) ? TitleWeight : 0;
        var score = Math.Round(1 + sentenceScore.Sum + windowScore.Sum + unitScore + titleScore, 2);
        var scopeOk = _rule.Scope switch
        {
            MatchScope.Sentence => dealings + loose + coMentions > 0,
            MatchScope.Window => dealings + loose + coMentions > 0 || windows > 0,
            _ => true,
        };
        var matched = scopeOk && score >= _rule.MinScore;
        var confidence = dealings > 0 || unitScore > 0 ? MatchConfidence.High
            : loose > 0 || windowLinks > 0 ? MatchConfidence.Medium
            : MatchConfidence.Low;

        // A market report's headline ("Brent tops $130", "국제유가 상승", "цены на нефть") makes its lead market colour:
        // every such headline in the dev splits (23 of 23) was no dealing, whatever the lead said. Only a dealing in
        // the headline itself still counts; otherwise the item is reported at medium confidence, not flagged.
        var market = matched && title?.Strength != Strength.Dealing && input.Title is { } headline && MarketHeadline().IsMatch(headline);
        if (market)
        {
            matched = false;
            confidence = MatchConfidence.Medium;
        }

        var together = $"{dealings}{(unread > 0 ? "+" : "")} sentence(s) describe a dealing between them, {loose} name them with a word of dealing that does not join them, {coMentions} only mention them together; {windows} nearby passage(s)";
        var via = new List<string>(3);
        foreach (var l in located)
        {
            if (l.Hit.Via is { } v && via.Count < 3 && !via.Contains(v))
            {
                via.Add(v);
            }
        }

        var gazetteer = via.Count > 0 ? $"; known names: {string.Join("; ", via)}" : "";
        var reason = matched
            ? $"{string.Join(" + ", entities)} with {string.Join(" + ", topics)}: {how ?? together}{(how is null ? "" : $" ({together})")}{gazetteer}"
            : market
                ? $"a market report's headline: what its lead says is read as market colour, not a dealing ({how ?? together}){gazetteer}"
            : !scopeOk
                ? $"entities and topics are not within one {_rule.Scope.ToString().ToLowerInvariant()}"
                : $"score {score} is below {_rule.MinScore}: no dealing between the parties is described ({together}){gazetteer}";
        return new MatchResult(watchlist.Name, matched, score, entities, topics, hits, MakeEvidence(input, best!, located), reason, confidence);
    }

    private bool Enough(ulong entities, ulong topics) =>
        BitOperations.PopCount(entities) >= _rule.MinEntityGroups && BitOperations.PopCount(topics) >= _rule.MinTopicGroups;

    /// <summary>Sentences that hold hits, with what each names; numbering continues within a field.</summary>
    private static List<Sentence> SplitSentences(in MatchInput input, ReadOnlySpan<Located> located)
    {
        var sentences = new List<Sentence>();
        for (var k = 0; k < located.Length; k++)
        {
            var l = located[k];
            var text = WatchlistMatcher.FieldText(input, l.Field);
            if (sentences.Count == 0 || sentences[^1].Field != l.Field || l.Start >= sentences[^1].End)
            {
                int start, index;
                if (sentences.Count > 0 && sentences[^1].Field == l.Field)
                {
                    start = sentences[^1].End;
                    index = sentences[^1].Index + 1;
                }
                else
                {
                    start = 0;
                    index = 0;
                }

                var end = l.Field == ItemField.Title ? text.Length : Sentences.EndOf(text, start);
                while (end <= l.Start)
                {
                    start = end;
                    index++;
                    end = Sentences.EndOf(text, start);
                }

                sentences.Add(new Sentence(l.Field, index, start, end, k));
            }

            var s = sentences[^1];
            s.Count++;
            switch (l.Info.Kind)
            {
                case HitKind.Entity: s.Entities |= 1UL << l.Info.Group; break;
                case HitKind.Topic: s.Topics |= 1UL << l.Info.Group; break;
                case HitKind.Link: s.Links++; break;
                case HitKind.ThirdParty: s.ThirdParties++; break;
            }

            if (l.Info.TopicGroup >= 0)
            {
                s.Topics |= 1UL << l.Info.TopicGroup;
            }
        }

        return sentences;
    }

    /// <summary>Consecutive sentences of one field; the title also runs on into the first sentence of the summary or content.</summary>
    private static bool Adjacent(Sentence a, Sentence b)
    {
        if (a.Field == b.Field)
        {
            return Math.Abs(a.Index - b.Index) == 1;
        }

        var (title, other) = a.Field == ItemField.Title ? (a, b) : (b, a);
        return title.Field == ItemField.Title && other.Index == 0;
    }

    /// <summary>Reads the hits <paramref name="from"/>..<paramref name="to"/> (one sentence, or the title and lead) for a dealing.</summary>
    private static (Strength Strength, string? Why) Analyze(in MatchInput input, ReadOnlySpan<Located> located, int from, int to)
    {
        var n = to - from;
        var anyLink = false;
        var topics = 0;
        for (var k = from; k < to && !anyLink; k++)
        {
            anyLink = located[k].Info.Link != LinkSort.None;
            topics += located[k].Info.Kind == HitKind.Topic || located[k].Info.Product ? 1 : 0;
        }

        // A name that is one country's make of another's design (Geran-2: Iran's Shahed-136 made in Russia) is a dealing
        // between the two wherever the designer is named in the same clause ("Alabuga churns out Iran's Shahed").
        for (var k = from; k < to; k++)
        {
            var origin = located[k].Info.OriginGroup;
            if (origin < 0)
            {
                continue;
            }

            for (var j = from; j < to; j++)
            {
                if (located[j].Info is { Kind: HitKind.Entity, Media: false } named && named.Group == origin && SameClause(input, located[j], located[k]))
                {
                    var entry = located[k].Info.Entry!;
                    return (Strength.Dealing, $"{located[k].Hit.Term} (made in {entry.Country} to a design from {entry.Origin}) named with {located[j].Hit.Term}");
                }
            }
        }

        // A company of one watched country at work on a field or project in another is a dealing in its goods: "«Газпром
        // нефть» присматривается к месторождениям в Иране", "ЛУКОЙЛ вышел из иранского проекта", "Rosneft's projects in Iran".
        // The word of the site stands beside one of the two: a market report naming a company and a country names none.
        for (var k = from; k < to; k++)
        {
            var company = located[k].Info;
            if (!(company is { Company: true, TopicGroup: >= 0 } || CompaniesOf(input, located[k])))
            {
                continue;
            }

            for (var j = from; j < to; j++)
            {
                if (located[j].Info is { Kind: HitKind.Entity, Media: false, Theatre: false, Contextual: false } other && other.Group != company.Group
                    && SameClause(input, located[j], located[k]) && (SiteBeside(input, located[j]) || SiteBeside(input, located[k])))
                {
                    var who = company.Entry is { } entry ? $"{located[k].Hit.Term} ({entry.Description})" : $"{located[k].Hit.Term} companies";
                    return (Strength.Dealing, $"{who} at work on a field or project named with {located[j].Hit.Term}");
                }
            }
        }

        // Goods bound for one watched country from another: "북한발 이란행 로켓" (from North Korea, bound for Iran), "an
        // Iran-bound cargo of North Korean rockets". The name that says where the goods are bound is the recipient, and
        // any other watched party in its clause is where they come from.
        for (var k = from; k < to; k++)
        {
            if (located[k].Info is not { Kind: HitKind.Entity, Media: false, Theatre: false } bound || !BoundFor(input, located[k]) || !GoodsIn(located, from, to))
            {
                continue;
            }

            for (var j = from; j < to; j++)
            {
                // The other end is told as such, not just named: a visitor bound for Tehran ("러 외무장관 이란행") carries nothing.
                if (located[j].Info is { Kind: HitKind.Entity, Media: false, Theatre: false, Contextual: false } source && source.Group != bound.Group
                    && (source.Product || KoreanTailIs(located[j], '발') || GoodsBeside(input, located, j, from, to) >= 0) && SameClause(input, located[j], located[k]))
                {
                    return (Strength.Dealing, $"goods of {located[j].Hit.Term} bound for {located[k].Hit.Term}");
                }
            }
        }

        // A country's known weapon in the same clause as a theatre of another's war is that other's to use: "Hwasong-11
        // missiles that fell on Kharkiv", "610 Iranian Shahed drones downed over Ukraine" (Russia fires them there).
        // So are a country's goods named as such, where the theatre is the place and not the one who fires them ("Iranian
        // drones over Ukraine", "پهپادهای ایرانی در اوکراین"; not "Ukraine is firing North Korean rockets").
        for (var k = from; k < to; k++)
        {
            var known = located[k].Info.Product;
            if (!known && located[k].Info.Kind != HitKind.Entity)
            {
                continue;
            }

            for (var j = from; j < to; j++)
            {
                if (located[j].Info is not { Theatre: true } place || place.Group == located[k].Info.Group || !SameClause(input, located[j], located[k]))
                {
                    continue;
                }

                if (known)
                {
                    if (FiredThere(place, located[k].Info.TopicGroup))
                    {
                        return (Strength.Dealing, $"{located[k].Hit.Term} ({located[k].Info.Entry!.Country}) named with {located[j].Hit.Term} ({place.Entry!.Description})");
                    }

                    continue;
                }

                // Looked for only beside a theatre: most sentences name none.
                var goods = GoodsBeside(input, located, k, from, to);
                if (goods >= 0 && FiredThere(place, located[goods].Info.Group) && AsPlace(input, located[j]))
                {
                    return (Strength.Dealing, $"{located[k].Hit.Term} {located[goods].Hit.Term} ({located[k].Info.GroupName}) named with {located[j].Hit.Term} ({place.Entry!.Description})");
                }
            }
        }

        if (!anyLink && topics < 2)
        {
            return (Strength.CoMention, null); // no word of dealing, no barter of two products: nothing to read the clauses for
        }

        // Mentions are scratch space for this sentence only: rented, not allocated for every sentence read.
        var rented = ArrayPool<Mention>.Shared.Rent(n);
        try
        {
            return ReadClauses(input, located, from, rented.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<Mention>.Shared.Return(rented, clearArray: true);
        }
    }

    /// <summary>Reads a sentence's hits clause by clause for a word of dealing that governs two parties.</summary>
    private static (Strength Strength, string? Why) ReadClauses(in MatchInput input, ReadOnlySpan<Located> located, int from, Span<Mention> m)
    {
        var n = m.Length;
        var clause = 0;
        for (var k = 0; k < n; k++)
        {
            var l = located[from + k];
            // A news outlet names its country as the source of the story ("KCNA carried a statement"), not as a party.
            m[k] = new Mention(l, l.Info.Kind == HitKind.Entity && !l.Info.Media ? l.Info.Group : -1) { Product = l.Info.Product };
            if (k > 0 && located[from + k - 1].Field == l.Field)
            {
                var text = WatchlistMatcher.FieldText(input, l.Field);
                var gap = ReadGap(text, located[from + k - 1].End, l.Start);
                // "… hit a record as Russia trims output", "… lost ground as Iranian exports returned": "as" and then a name
                // that is no possessive ("emerging as Russia's main supplier") starts a clause; after "identified", "known",
                // "such" … an "as" starts none (EndsWithAs).
                gap.Boundary |= gap.EndsWithAs && l.Info.Kind is HitKind.Entity or HitKind.ThirdParty && l.Script == Script.Latin
                    && !FollowedByPossessive(text, l.End);
                // A Persian word of dealing, "و" and a name: the verb ended its clause and the name starts the next
                // ("هند نفت روسیه را می‌خرد و ایران …"; not "… می‌سازند و برای … به روسیه می‌فرستند", one subject for both).
                var before = located[from + k - 1];
                gap.Boundary |= gap.StartsWithAnd && gap.Words == 1 && before.Info.Link != LinkSort.None && before.Script == Script.Arabic
                    && l.Info.Kind is HitKind.Entity or HitKind.ThirdParty;
                m[k].Gap = gap;
                m[k - 1].TogetherAfter = gap.StartsWithTogether;
                if (gap.Boundary)
                {
                    clause++;
                }
            }

            m[k].Clause = clause;
            if (l.Info.Link != LinkSort.None)
            {
                m[k].NounOf = FollowedByOf(WatchlistMatcher.FieldText(input, l.Field), l.End);
            }
        }

        // Noun phrases: a country right before a topic is that topic's maker ("Russian crude", "Iran's
        // drones", "North Korean-made shells"), and so is one right after it ("oil from Russia").
        for (var k = 0; k + 1 < n; k++)
        {
            // A known product of the same country counts as its goods too: "российских Су-35", "North Korean KN-23s".
            var goods = m[k + 1].Hit.Info.Kind == HitKind.Topic || (m[k + 1].Hit.Info.Product && m[k + 1].Group == m[k].Group);
            if (m[k].IsParty && goods && m[k + 1].Gap.Made && MakerBefore(m[k], m[k + 1].Gap))
            {
                m[k].Product = true;
                m[k + 1].OwnedBy = k;
            }
            else if (m[k].Hit.Info.Kind == HitKind.Topic && m[k + 1].IsParty && FromPhrase(m[k], m[k + 1]))
            {
                m[k + 1].Product = true;
                m[k].OwnedBy = k + 1;
            }
        }

        // Korean marks the maker on the name: 북한산 (North Korean-made), 러시아제.
        for (var k = 0; k < n; k++)
        {
            // The maker's mark may carry a particle: 러시아산은, 이란제를.
            if (m[k].IsParty && (KoreanTailIs(m[k].Hit, '산') || KoreanTailIs(m[k].Hit, '제')))
            {
                m[k].Product = true;
                // Goods told before their maker's mark are its goods: "러시아군이 발사한 포탄의 60%가 북한제".
                if (k > 0 && m[k - 1].Hit.Info.Kind == HitKind.Topic && m[k - 1].OwnedBy < 0 && !m[k].Gap.Boundary && m[k - 1].Hit.Field == m[k].Hit.Field)
                {
                    m[k - 1].OwnedBy = k;
                }
            }
        }

        // An outsider's possessive owns the parties right after it: "India's Russian S-400 purchase", "China's
        // Iranian oil imports", "미국·이스라엘의 이란 공습" (the US and Israel's strikes on Iran). They are what
        // the outsider buys or strikes, no party to a dealing.
        for (var k = 1; k < n; k++)
        {
            var before = m[k - 1];
            if (m[k].IsParty && before.Hit.Field == m[k].Hit.Field && !m[k].Gap.Boundary
                && ((before.Hit.Info.Kind == HitKind.ThirdParty && Possessive(before, m[k].Gap)) || (before.Owned && Tight(m[k].Gap))))
            {
                m[k].Owned = true;
            }
        }

        // Lists: parties (with their products) separated only by commas and "and" are parallel.
        var list = 0;
        var previous = -1;
        for (var k = 0; k < n; k++)
        {
            if (!m[k].IsParty && m[k].Hit.Info.Kind != HitKind.ThirdParty)
            {
                continue;
            }

            var joined = previous >= 0 && m[k].Clause == m[previous].Clause && OnlyListBetween(m, previous, k);
            m[k].List = joined ? m[previous].List : ++list;
            if (!joined)
            {
                m[k].Between = m[k].Gap.EndsWithBetween;
            }

            previous = k;
        }

        // "Russian fuel for North Korean shells", "oil for weapons" between two makers: a barter, link word or not.
        for (var k = 1; k < n; k++)
        {
            if (m[k].IsParty && m[k].Product && m[k].Gap.OnlyFor && m[k - 1].OwnedBy is var owner and >= 0
                && m[owner].Group != m[k].Group && m[owner].Clause == m[k].Clause)
            {
                return (Strength.Dealing, $"{m[owner].Hit.Hit.Term} {m[k - 1].Hit.Hit.Term} for {m[k].Hit.Hit.Term}");
            }
        }

        string? loose = null;
        for (var li = 0; li < n; li++)
        {
            var link = m[li].Hit.Info.Link;
            if (link == LinkSort.None || Claimed(m, li) || (Negotiation(m[li]) && !GoodsInClause(m, li)) || (link == LinkSort.Transfer && MessageHanded(m, li)))
            {
                continue; // talks are about oil or arms only when the goods are named with them, not "talks on tourism; missile tests go on"
            }

            var sov = m[li].Hit.Script is Script.Hangul or Script.Arabic;
            for (var a = 0; a < n; a++)
            {
                // A headline's "Iran and Russia: from an oil-for-goods swap to …" names the parties before the colon
                // ("북러 접경에 화물…무기 거래 정황" before the "…").
                var colonTopic = link == LinkSort.Agreement && m[li].Hit.Field == ItemField.Title && m[a].Clause + 1 == m[li].Clause && ColonBetween(m, a, li);
                // A theatre of war stands for the country that fires weapons there, not for one that receives or signs:
                // "a tanker of Iranian crude arrived in Odessa" is no delivery to Russia.
                if (!m[a].IsParty || m[a].Owned || (m[a].Clause != m[li].Clause && !colonTopic) || (m[a].Hit.Info.Theatre && link != LinkSort.Use))
                {
                    continue;
                }

                // A lone speaker before that colon is the "we" of the agreement after it, and the other side is the one "with"
                // it: "اوجی: ۴ میلیارد دلار قرارداد نفت و گاز با روسیه بسته‌ایم", "Lavrov: we will sign the arms deal with Tehran".
                if (colonTopic && Alone(m, a))
                {
                    for (var b = 0; b < n; b++)
                    {
                        if (m[b].IsParty && !m[b].Owned && m[b].Clause == m[li].Clause && m[b].Group != m[a].Group && !m[b].Hit.Info.Theatre && With(m[b]))
                        {
                            return (Strength.Dealing, $"'{m[li].Hit.Hit.Term}' joins {m[a].Hit.Hit.Term} (who speaks) and {m[b].Hit.Hit.Term}");
                        }
                    }
                }

                for (var b = a + 1; b < n; b++)
                {
                    if (!m[b].IsParty || m[b].Owned || m[b].Clause != m[a].Clause || m[b].Group == m[a].Group || (colonTopic && m[a].List != m[b].List)
                        || (m[b].Hit.Info.Theatre && link != LinkSort.Use))
                    {
                        continue;
                    }

                    var parallel = m[a].List == m[b].List;
                    bool governs;
                    if (!parallel && ListHasGroup(m, b, m[a].Group, a))
                    {
                        // Both named side by side elsewhere in the clause are peers, not two ends of one dealing:
                        // "trade with Iran … the fleet that moves oil for producers such as Russia, Iran and Venezuela".
                        governs = false;
                    }
                    else if (parallel)
                    {
                        // "Russia and Iran sign an oil swap", "trade between Moscow and Pyongyang": together they agree.
                        // "Moscow and Pyongyang deny mutual arms supplies": "mutual" puts the word of dealing between them.
                        governs = (link == LinkSort.Agreement || m[FirstOfList(m, a)].Between || (m[li].Gap.EndsWithMutual && b < li)
                                || (m[b].Hit.Script == Script.Hangul && b < li && (KoreanBetween(input, m[b]) || PairWord(m[a], m[b]))))
                            && !ListHasThirdParty(m, a);
                    }
                    else if (link == LinkSort.Use)
                    {
                        // One country's product in the other's hands, the product next to the word: "Russia fired
                        // North Korean KN-23s", "Iranian-made drones launched by Russia".
                        // In Korean the user comes before the verb ("러시아가 이란 드론으로 공격", "러시아군이 운용하는 북한제
                        // 자주포"; not "이란 미사일 공격에 러시아 … 촉구").
                        // The maker's own act, said with a possessive, has no other user: "Russia denounced Pyongyang's new missile
                        // firing" (not "Iran's drones used by Russia", where the user comes after the word).
                        var (maker, user) = m[a].Product ? (a, b) : (b, a);
                        var ownAct = maker + 1 < n && m[maker + 1].Gap.Possessive && user < maker && maker < li && m[li].Hit.Script == Script.Latin;
                        governs = (m[a].Product != m[b].Product && !ownAct && NearestProduct(m, li, maker) && (m[li].Hit.Script != Script.Hangul || user < li))
                            || (a < li && li < b && m[b].Gap.EndsWithFor && !m[b].Product && Produces(m[li]) && TopicBetween(m, li, b)); // "North Korea produces shells for Russia"
                    }
                    else if (link == LinkSort.Agreement)
                    {
                        // An agreement between two parties named apart is one "with" the other: "Russia signs a deal
                        // with Iran", "ایران با روسیه قرارداد امضا کرد"; "the Iran deal" Russia only mentions is not.
                        // A party that signs for the other's goods deals with it: "Russian firms signed contracts to develop
                        // Iranian oil fields", "«Газпром нефть» подписала меморандум о работе на иранских месторождениях".
                        governs = ((With(m[b]) || m[b].Gap.EndsWithFor) && ((a < li && li < b) || (sov && b < li)))
                            // Russian puts "with" before the word as often as after it: "Иран ведёт с Россией переговоры о закупке оружия".
                            || (m[li].Hit.Script == Script.Cyrillic && m[b].Gap.EndsWithWith && a < b && b < li && m[li].Hit.Start - m[b].Hit.End <= 30 && NoPartyBetween(m, b, li))
                            || (!sov && a < li && b == li + 1 && !m[a].Product && m[b].Product && !m[b].Gap.Marker && !m[b].Gap.Boundary && NearestProduct(m, li, b))
                            // "Russian firms eye $20 bln in Iranian oil and gas contracts": the other's goods right before the word.
                            || (!sov && a < b && b + 1 < li && !m[a].Product && m[b].Product && m[b + 1].OwnedBy == b && OnlyGoodsBetween(m, b, li) && !m[b].Gap.Marker && !m[b].Gap.Boundary)
                            || (!sov && b < li && m[b].Gap.Meet && m[li].Hit.Start - m[b].Hit.End <= 30 && NoPartyBetween(m, b, li)); // "visits Tehran to discuss missile cooperation"
                    }
                    else
                    {
                        // Two makers' goods on either side are what someone else trades ("India raised purchases of
                        // Russian oil and stopped imports of Iranian"): the word joins neither maker.
                        var goods = m[a].Product && m[b].Product && !Recipient(m, b);
                        // "Russian oil sales" are Russia's own: the other party must be where they go ("… to Iran").
                        // So are "Iranian crude and condensate shipments": the maker's goods may be a list.
                        var ownSale = m[a].Product && li > a + 1 && SaleNoun(m[li]) && m[a + 1].OwnedBy == a && OnlyGoodsBetween(m, a, li) && m[li].Gap.Empty
                            && m[li].Hit.Script == Script.Latin && !Recipient(m, b) && !With(m[b]) && !m[b].Gap.EndsWithFor;
                        // "Putin arrives in Tehran": a person who arrives is travelling, not delivering.
                        var travels = a < li && Arrival(m[li]) && m[a].Hit.Info.Person;
                        // Two origins of goods are two suppliers of someone else, not two ends of one dealing: "Ankara cut gas
                        // purchases from Russia while imports from Iran rose", "without Iran's oil, cutting imports from Russia".
                        // Korean marks the origin on the name: "러시아 가스관 … 가스 이란서 수입" (Russia's pipeline, gas from Iran).
                        var twoOrigins = (m[a].Product || m[a].Gap.EndsWithSource) && (m[b].Gap.EndsWithSource || KoreanSource(m[b])) && !Recipient(m, b) && !With(m[b]);
                        governs = !travels && !twoOrigins
                            && ((a < li && li < b && !goods && !ownSale && (m[li].Hit.Script != Script.Hangul || KoreanRecipient(m[b]) || m[b].Product
                                || (b == li + 1 && m[b].Gap.Words == 0 && !m[b].Gap.Marker && !CaseMarked(m[li]))
                                || (m[a].Product && b == li + 1 && !m[b].Gap.Marker && m[b].Gap.Words <= 1 && !CaseMarked(m[li]))) // "북한 무기 운반 혐의 러 화물선"
                                // A Persian verb ("می‌فرستد") closes its clause: a name after it is no party to it.
                                && !(m[li].Hit.Script == Script.Arabic && FiniteVerb(input, m[li])))
                            || (li < a && m[a].Product && !goods) // "supplying Iranian drones to Russia"
                            // "передачей России северокорейских ракет", "supplying Russia with Iranian drones": where they go, then whose they are.
                            || (li < a && b == a + 1 && !m[a].Product && m[b].Product && m[b].Gap.Words <= 1 && !m[b].Gap.Boundary && !m[b].Gap.Marker)
                            || (li < a && m[a].Gap.EndsWithSource && m[b].Gap.EndsWithDestination) // "sent from the North to Russia"
                            // Russian marks both ends by case, right after the word: "поставленные Россией Ирану" (by Russia, to Iran),
                            // "поставки России Ирану".
                            || (m[li].Hit.Script == Script.Cyrillic && a == li + 1 && b == a + 1 && m[a].Gap.Empty && m[b].Gap.Empty && !m[b].Gap.Marker && !m[b].Gap.Boundary)
                            || (!sov && a < b && b + 1 == li && m[li].Gap.Made && m[li].Gap.Words <= 2 && Alone(m, a) && !(m[a].Hit.Script == Script.Latin && Adjective(m[a].Hit.Hit.Term))) // "Iran sought North Korean help", "is Russia's main supplier"
                            // "북한이 러시아에 포탄을 보냈다", "ایران به روسیه پهپاد ارسال کرد"; not a partner "together with" the sender
                            // ("중국은 러시아, 이란과 함께 … 구축함을 보내").
                            || (sov && b < li && !goods && !m[b].TogetherAfter)
                            || (!sov && b < li && m[b].Gap.Meet && m[li].Hit.Start - m[b].Hit.End <= 30 && NoPartyBetween(m, b, li))); // "Shoigu's visit to Pyongyang to secure shell supplies"
                    }

                    if (governs)
                    {
                        var parties = m[a].Hit.Start == m[b].Hit.Start && m[a].Hit.Field == m[b].Hit.Field
                            ? $"{m[a].Hit.Hit.Group} and {m[b].Hit.Hit.Group} ({m[a].Hit.Hit.Term})" // 북러
                            : $"{m[a].Hit.Hit.Term} and {m[b].Hit.Hit.Term}";
                        return (Strength.Dealing, $"'{m[li].Hit.Hit.Term}' joins {parties}");
                    }

                    if (!parallel)
                    {
                        loose ??= m[li].Hit.Hit.Term;
                    }
                }
            }
        }

        return loose is not null ? (Strength.Loose, null) : (Strength.CoMention, null);
    }

    /// <summary>
    /// What a word of transfer hands over is a message or a delegation, not goods: "Шойгу передал Ким Чен Ыну послание
    /// Путина", "delivered a letter from Putin": the message comes after the word, before any goods. Korean puts the object
    /// right before the verb ("대표단을 보냈다"). Not read in Persian, where a message word before the verb is no sure sign.
    /// </summary>
    private static bool MessageHanded(Span<Mention> m, int li)
    {
        if (m[li].Hit.Script == Script.Hangul)
        {
            return m[li].Gap.Message && !m[li].Gap.Boundary;
        }

        if (m[li].Hit.Script == Script.Arabic)
        {
            return false;
        }

        for (var j = li + 1; j < m.Length && m[j].Clause == m[li].Clause && m[j].Hit.Field == m[li].Hit.Field; j++)
        {
            if (m[j].Gap.Message)
            {
                return true;
            }

            if (m[j].Hit.Info.Kind == HitKind.Topic || m[j].Product)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>A word of use that makes something (build, produce, производить, تولید, 생산): made for another is supplied to it.</summary>
    private static bool Produces(in Mention link) => AliasIs(link, WordClass.Produce);

    /// <summary>"Putin arrives in Tehran", "прибывает", "도착": a word of arrival.</summary>
    private static bool Arrival(in Mention link) => AliasIs(link, WordClass.Arrive);

    /// <summary>"negotiating", "переговоры", "مذاکره", "협상": a word of negotiation.</summary>
    private static bool Negotiation(in Mention link) => AliasIs(link, WordClass.Negotiate);

    /// <summary>Whether the alias that found a word of dealing (without its <c>*</c>) is a word of the class.</summary>
    private static bool AliasIs(in Mention link, WordClass wordClass)
    {
        return (ClassOf(link.Hit.Hit.Alias.AsSpan().TrimEnd('*')) & wordClass) != 0;
    }

    /// <summary>The word classes of one word as written (folded first), or none for a word longer than any class word.</summary>
    private static WordClass ClassOf(ReadOnlySpan<char> word)
    {
        var room = default(WordBuffer);
        Span<char> buffer = ((Span<char>)room)[..16];
        var folded = !word.IsEmpty && word.Length <= buffer.Length ? Fold(word, buffer) : default;
        return !folded.IsEmpty && WordLookup.TryGetValue(folded, out var cls) ? cls : WordClass.None;
    }

    private static bool TopicBetween(Span<Mention> m, int from, int to)
    {
        for (var j = from + 1; j < to; j++)
        {
            if (m[j].Hit.Info.Kind == HitKind.Topic || m[j].Product)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when no other topic or product stands between the word of use and the product (its own topic aside).</summary>
    private static bool NearestProduct(Span<Mention> m, int li, int product)
    {
        var (from, to) = product > li ? (li + 1, product) : (product + 1, li);
        for (var j = from; j < to; j++)
        {
            if (m[j].OwnedBy != product && (m[j].Hit.Info.Kind == HitKind.Topic || m[j].Product))
            {
                return false;
            }
        }

        return Math.Abs(m[product].Hit.Start - m[li].Hit.Start) <= 80;
    }

    /// <summary>
    /// Can a name right before goods be their maker? Not in Persian, where the maker follows ("گاز روسیه", "پهپاد
    /// ایرانی") and a name before the goods is the subject ("ایران گاز روسیه را وارد می‌کند"); in Korean only bare
    /// or with 의, 산, 제 ("러시아 석유", "러시아의 석유"), not with a case particle ("남포항에 석유") unless a maker's
    /// word follows ("이란이 설계한 자폭 드론").
    /// </summary>
    private static bool MakerBefore(in Mention party, in Gap gap)
    {
        var hit = party.Hit.Hit;
        return party.Hit.Script switch
        {
            Script.Arabic => false,
            Script.Hangul => hit.Term.Length == hit.Alias.Length || hit.Term[^1] is '의' or '산' or '제' || gap.Words > 0,
            _ => true,
        };
    }

    /// <summary>Korean puts "between" after the list: "북한과 러시아 사이에서", "북러 간".</summary>
    private static bool KoreanBetween(in MatchInput input, in Mention last)
    {
        var text = WatchlistMatcher.FieldText(input, last.Hit.Field).AsSpan(last.Hit.End).TrimStart(' ');
        var bare = last.Hit.Hit.Term.Length == last.Hit.Hit.Alias.Length;
        return text.StartsWith("사이", StringComparison.Ordinal) || (bare && (text is "간" || text.StartsWith("간 ", StringComparison.Ordinal)));
    }

    /// <summary>A Persian word of dealing written as a present-tense verb, "می‌فرستد", "نمی‌فروشد" (not the noun "ارسال").</summary>
    private static bool FiniteVerb(in MatchInput input, in Mention link)
    {
        var text = WatchlistMatcher.FieldText(input, link.Hit.Field).AsSpan(0, link.Hit.Start).TrimEnd("\u200c ");
        return text.EndsWith("می", StringComparison.Ordinal) && (text.Length == 2 || !TextFolder.IsWord(text[^3]) || text[^3] == 'ن');
    }

    /// <summary>A theatre named as where something happens, not as the one who acts: a place word before it, or in Korean no subject particle.</summary>
    private static bool AsPlace(in MatchInput input, in Located place) =>
        AsPlace(WatchlistMatcher.FieldText(input, place.Field), place.Start, place.End, place.Hit.Alias.Length, place.Script);

    internal static bool AsPlace(string text, int placeStart, int placeEnd, int aliasLength, Script script)
    {
        if (script == Script.Hangul)
        {
            var rest = text.AsSpan(Math.Min(placeStart + aliasLength, placeEnd), placeEnd - Math.Min(placeStart + aliasLength, placeEnd));
            return rest is not ("이" or "가" or "은" or "는" or "도");
        }

        var end = placeStart;
        while (end > 0 && !TextFolder.IsWord(text[end - 1]))
        {
            end--;
        }

        var start = WatchlistMatcher.WordStart(text, end);
        return (ClassOf(text.AsSpan(start, end - start)) & WordClass.Place) != 0;
    }

    /// <summary>A name that says where goods are bound: Korean "이란행" (bound for Iran), English "Iran-bound".</summary>
    private static bool BoundFor(in MatchInput input, in Located hit)
    {
        if (hit.Script == Script.Hangul)
        {
            return KoreanTailIs(hit, '행');
        }

        var text = WatchlistMatcher.FieldText(input, hit.Field);
        return hit.Script == Script.Latin && hit.End + 6 <= text.Length && text[hit.End] is '-' or '‑' or '–'
            && text.AsSpan(hit.End + 1, 5).Equals("bound", StringComparison.OrdinalIgnoreCase)
            && (hit.End + 6 == text.Length || !TextFolder.IsWord(text[hit.End + 6]));
    }

    /// <summary>A Korean name with one syllable and at most a particle after it: "북한발" (from North Korea), "이란행은".</summary>
    private static bool KoreanTailIs(in Located hit, char syllable) =>
        hit.Script == Script.Hangul && KoreanTail(hit) is [var first, .. var rest] && first == syllable && (rest.IsEmpty || Morphology.IsKoreanParticle(rest));

    /// <summary>Whether the hits name goods: a topic word, or a known product.</summary>
    private static bool GoodsIn(ReadOnlySpan<Located> located, int from, int to)
    {
        for (var k = from; k < to; k++)
        {
            if (located[k].Info.Kind == HitKind.Topic || located[k].Info.Product)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Words for where oil is got or a venture is run: a field, a project, a concession.</summary>
    private static readonly string[] SiteWords = ["field", "fields", "oilfield", "oilfields", "gasfield", "gasfields", "project", "projects", "concession", "concessions"];

    /// <summary>Stems of the same words in Russian, Korean and Persian, which take endings: месторождениям, 유전을, میدان‌های.</summary>
    private static readonly string[] SiteStems = ["месторожд", "проект", "концесси", "добыч", "유전", "가스전", "광구", "프로젝트", "میدان", "میادین", "پروژه"];

    /// <summary>Words for a company: "Russian companies", "российских нефтегазовых компаний", "شرکت‌های روسی", "러시아 기업".</summary>
    private static readonly string[] CompanyWords = ["company", "companies", "firm", "firms", "corporation", "corporations"];

    /// <summary>Stems of the same words in Russian, Korean and Persian.</summary>
    private static readonly string[] CompanyStems = ["компани", "фирм", "корпораци", "기업", "업체", "회사", "شرکت"];

    /// <summary>Whether a word of a site stands within four words before or after the hit, in its clause: "иранского проекта", "месторождениям в Иране", "российские компании на новое месторождение".</summary>
    private static bool SiteBeside(in MatchInput input, in Located hit) => WordBeside(input, hit, 4, SiteWords, SiteStems, SiteFirst, [false, true]);

    /// <summary>
    /// A country named as the nationality of companies: "российских компаний", "Russian oil firms", "러시아 기업" put the
    /// companies after the name, Persian before it ("شرکت‌های روسی").
    /// </summary>
    private static bool CompaniesOf(in MatchInput input, in Located hit) =>
        hit.Info is { Kind: HitKind.Entity, Media: false, Theatre: false, Contextual: false, Product: false, Entry: null }
        && WordBeside(input, hit, 2, CompanyWords, CompanyStems, CompanyFirst, hit.Script == Script.Arabic ? [false] : [true]);

    // First letters of the words above: most words around a hit start with none of them and need no folding (seen with perf).
    private static readonly SearchValues<char> SiteFirst = SearchValues.Create([.. SiteWords.Concat(SiteStems).Select(w => w[0]).Distinct()]);
    private static readonly SearchValues<char> CompanyFirst = SearchValues.Create([.. CompanyWords.Concat(CompanyStems).Select(w => w[0]).Distinct()]);

    /// <summary>Whether one of the words (or a word starting with one of the stems) stands within so many words of the hit, on the sides given (false: before it), in its clause.</summary>
    private static bool WordBeside(in MatchInput input, in Located hit, int words, ReadOnlySpan<string> exact, ReadOnlySpan<string> stems, SearchValues<char> firsts, ReadOnlySpan<bool> directions)
    {
        var text = WatchlistMatcher.FieldText(input, hit.Field);
        var room = default(WordBuffer);
        Span<char> buffer = room;
        foreach (var forward in directions)
        {
            var i = forward ? hit.End : hit.Start;
            for (var w = 0; w < words; w++)
            {
                // Over the gap to the next word; a stop or a clause mark ends the search on this side.
                var stop = false;
                while (!stop && (forward ? i < text.Length && !TextFolder.IsWord(text[i]) : i > 0 && !TextFolder.IsWord(text[i - 1])))
                {
                    stop = text[forward ? i : i - 1] is '.' or '!' or '?' or ';' or ':' or '(' or ')' or '…' or '؛';
                    i += forward ? 1 : -1;
                }

                if (stop)
                {
                    break;
                }

                var j = i;
                while (forward ? j < text.Length && TextFolder.IsWord(text[j]) : j > 0 && TextFolder.IsWord(text[j - 1]))
                {
                    j += forward ? 1 : -1;
                }

                var (start, end) = forward ? (i, j) : (j, i);
                if (start == end || end - start > buffer.Length)
                {
                    break;
                }

                var first = TextFolder.Fold[text[start]];
                if (first != TextFolder.Ignored && !firsts.Contains(first))
                {
                    i = j;
                    continue;
                }

                var word = Fold(text.AsSpan(start, end - start), buffer);
                foreach (var x in exact)
                {
                    if (word.SequenceEqual(x))
                    {
                        return true;
                    }
                }

                foreach (var stem in stems)
                {
                    if (word.StartsWith(stem))
                    {
                        return true;
                    }
                }

                i = j;
            }
        }

        return false;
    }

    /// <summary>What is fired in a theatre is weapons: "Iranian oil arrived in Odessa" is no use of it there.</summary>
    private static bool FiredThere(TermInfo theatre, int topicGroup) => theatre.FiresGroup < 0 || topicGroup == theatre.FiresGroup;

    /// <summary>The topic word right beside a watched country (its goods), or -1: "Iranian drones", "ракеты КНДР".</summary>
    private static int GoodsBeside(in MatchInput input, ReadOnlySpan<Located> located, int k, int from, int to)
    {
        var party = located[k];
        if (party.Info is not { Kind: HitKind.Entity, Theatre: false, Media: false })
        {
            return -1;
        }

        var text = WatchlistMatcher.FieldText(input, party.Field);
        // A Korean compound's head is part of the goods: "북한제 다연장로켓".
        if (k + 1 < to && located[k + 1] is { Info.Kind: HitKind.Topic } after && after.Field == party.Field
            && WatchlistMatcher.Adjoins(text, party.End, after.Script == Script.Hangul ? WatchlistMatcher.WordStart(text, after.Start) : after.Start))
        {
            return k + 1;
        }

        return k - 1 >= from && located[k - 1] is { Info.Kind: HitKind.Topic } before && before.Field == party.Field && WatchlistMatcher.Adjoins(text, before.End, party.Start)
            ? k - 1
            : -1;
    }

    /// <summary>Two hits in one field with no clause break between them, in either order.</summary>
    private static bool SameClause(in MatchInput input, in Located x, in Located y)
    {
        if (x.Field != y.Field)
        {
            return false;
        }

        var (first, second) = x.Start <= y.Start ? (x, y) : (y, x);
        return !(second.Start > first.End && ReadGap(WatchlistMatcher.FieldText(input, first.Field), first.End, second.Start).Boundary);
    }

    /// <summary>A party introduced by "with" (с, با), or a Korean noun with 와/과 on it.</summary>
    private static bool With(in Mention b)
    {
        var term = b.Hit.Hit.Term;
        return b.Gap.EndsWithWith || (b.Hit.Script == Script.Hangul && term.Length > b.Hit.Hit.Alias.Length && (term.EndsWith('와') || term.EndsWith('과')) && !b.TogetherAfter);
    }

    /// <summary>
    /// "oil from Russia", "нефть России" (the genitive), "پهپادهای انتحاری ایرانی" (an ezafe chain of up to two
    /// words before the nationality).
    /// </summary>
    private static bool FromPhrase(in Mention topic, in Mention party) =>
        party.Gap.From || (party.Gap.Empty && !party.Gap.Marker && topic.Hit.Script is Script.Cyrillic or Script.Arabic)
        || (topic.Hit.Script == Script.Arabic && party.Hit.Script == Script.Arabic && party.Gap.Words <= 2 && !party.Gap.Boundary && !party.Gap.Marker);

    private static bool OnlyListBetween(Span<Mention> m, int previous, int k)
    {
        // Between two parties may stand the first one's product ("Russian oil and Iranian gas"): the gap that counts is the last.
        for (var j = previous + 1; j < k; j++)
        {
            if (m[j].OwnedBy != previous || m[j].Hit.Field != m[k].Hit.Field)
            {
                return false;
            }
        }

        if (m[k].Hit.Field != m[previous].Hit.Field)
        {
            return false;
        }

        if (m[k].Hit.Start == m[previous].Hit.Start)
        {
            return true; // one name for two parties: 북러 (North Korea and Russia)
        }

        if (m[previous].Hit.Script != Script.Hangul)
        {
            return (m[k].Gap.Coordination && m[k].Gap.Marker) || m[k].Gap.Office;
        }

        // Korean joins with a particle on the first noun (러시아와 북한, 북한과 러시아); a comma joins only bare
        // nouns, because a headline's "북한, 러시아에 포탄 공급" names its subject before the comma.
        var first = m[previous].Hit.Hit;
        var joined = first.Term.Length > first.Alias.Length && (first.Term.EndsWith('와') || first.Term.EndsWith('과'));
        // "러시아·이란산 원유": between dots the maker's 산 is no case particle (a headline's "북한, 러시아산 원유 수입"
        // still names its subject before the comma).
        var bare = Bare(first, m[k].Gap.Dot) && Bare(m[k].Hit.Hit, m[k].Gap.Dot);
        if (m[k].Gap.Comma && !m[previous].Product && k + 1 < m.Length && m[k + 1].OwnedBy == k)
        {
            return false; // nor a bare maker of goods: "러, 北 탄도미사일 쏴" is Russia firing North Korean missiles
        }

        return m[k].Gap.Coordination && (joined || (m[k].Gap.Marker && bare));
    }

    /// <summary>
    /// A Korean name after the word of dealing is its party only as where the goods go ("원유 공급, 북한에"), as the maker
    /// of goods ("넘어간 북한 포탄") or as the noun the verb describes right after it ("옮겨 실은 러시아 해운사"): the verb
    /// comes last, so a name after it otherwise belongs to what follows ("수입 봉쇄, 러시아 기업의 …").
    /// </summary>
    private static bool KoreanRecipient(in Mention party)
    {
        return KoreanTail(party.Hit) is "에" or "에게" or "로" or "으로" or "에도" or "에게도" or "까지" or "에까지";
    }

    /// <summary>A Korean name marked as where something comes from: "이란서", "러시아에서", "북한으로부터".</summary>
    private static bool KoreanSource(in Mention party) =>
        party.Hit.Script == Script.Hangul && KoreanTail(party.Hit) is "서" or "에서" or "에서도" or "로부터" or "으로부터";

    /// <summary>
    /// A Korean word of dealing with a case particle on it is a noun ("판매에", "수출을"), not a verb that describes the
    /// name after it ("옮겨 실은 러시아 해운사"): "러시아 원유 판매에 이란 수출 시장 흔들" sells nothing to Iran.
    /// </summary>
    private static bool CaseMarked(in Mention link) => KoreanTail(link.Hit) is { IsEmpty: false } tail && Morphology.IsKoreanParticle(tail);

    /// <summary>What a Korean hit carries after its alias: a particle ("에", "를"), a verb ending ("한"), or nothing.</summary>
    private static ReadOnlySpan<char> KoreanTail(in Located located)
    {
        var hit = located.Hit;
        return hit.Term.AsSpan(Math.Min(hit.Alias.Length, hit.Term.Length));
    }

    private static bool Bare(Hit hit, bool dot) =>
        hit.Term.Length == hit.Alias.Length || (dot && hit.Term.Length == hit.Alias.Length + 1 && hit.Term[^1] is '산' or '제');

    private static int FirstOfList(Span<Mention> m, int k)
    {
        var first = k;
        for (var j = k - 1; j >= 0; j--)
        {
            if (m[j].List == m[k].List)
            {
                first = j;
            }
        }

        return first;
    }

    /// <summary>Only topics joined by list words or nothing stand between a maker and the word: "Iranian oil and gas contracts".</summary>
    private static bool OnlyGoodsBetween(Span<Mention> m, int maker, int link)
    {
        for (var j = maker + 1; j <= link; j++)
        {
            if ((j < link && m[j].Hit.Info.Kind != HitKind.Topic) || m[j].Gap.Boundary || !(m[j].Gap.Empty || m[j].Gap.Coordination))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>English words of dealing used as nouns after the goods: "Russian oil sales", "Iranian crude exports".</summary>
    private static readonly FrozenSet<string> SaleNouns = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "sale", "sales", "supply", "supplies", "export", "exports", "import", "imports", "shipment", "shipments", "purchase", "purchases",
        "deliveries", "flows", "trade");

    private static bool SaleNoun(in Mention link) => SaleNouns.Contains(link.Hit.Hit.Term);

    /// <summary>Whether a topic or a country's goods stand in the clause of the word at <paramref name="li"/>.</summary>
    private static bool GoodsInClause(Span<Mention> m, int li)
    {
        foreach (var x in m)
        {
            if (x.Clause == m[li].Clause && (x.Hit.Info.Kind == HitKind.Topic || x.Product))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the list of <paramref name="k"/> names <paramref name="group"/> through a mention other than <paramref name="other"/>.</summary>
    private static bool ListHasGroup(Span<Mention> m, int k, int group, int other)
    {
        for (var j = 0; j < m.Length; j++)
        {
            if (j != other && j != k && m[j].List == m[k].List && m[j].Group == group && m[j].Clause == m[k].Clause)
            {
                return true;
            }
        }

        return false;
    }

    private static bool ListHasThirdParty(Span<Mention> m, int k)
    {
        foreach (var x in m)
        {
            if (x.List == m[k].List && x.Hit.Info.Kind == HitKind.ThirdParty)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A word of dealing belongs to a third party that is its subject ("India buys Russian oil": the
    /// nearest party before it is India's list; not for a noun with its arguments after it, "the supply
    /// of North Korean munitions to Russia") or stands right after it ("sales to China").
    /// </summary>
    private static bool Claimed(Span<Mention> m, int li)
    {
        var link = m[li];
        if (link.Hit.Script == Script.Hangul)
        {
            // The verb comes last: what stands around it is no subject or object by position, but where the goods go is
            // marked: "우크라이나에 살상무기를 지원할" gives to Ukraine, whoever else the sentence names.
            for (var j = li - 1; j >= 0 && m[j].Clause == link.Clause; j--)
            {
                if (m[j].IsParty && KoreanRecipient(m[j]))
                {
                    return false;
                }

                if (m[j].Hit.Info.Kind == HitKind.ThirdParty && KoreanRecipient(m[j]))
                {
                    return !ListHasWatched(m, j);
                }
            }

            return false;
        }

        if (link.Hit.Script == Script.Arabic)
        {
            // The verb comes last: what stands around it is no subject or object by position, but "به" marks where the goods
            // go: "صادرات نفت روسیه به چین" exports to China, whoever else the sentence names. An agreement may still be with a
            // party for goods that go elsewhere ("مذاکره با ایران برای سواپ گاز به ارمنستان").
            for (var j = li + 1; link.Hit.Info.Link == LinkSort.Transfer && j < m.Length && m[j].Clause == link.Clause && m[j].Hit.Field == link.Hit.Field; j++)
            {
                if ((m[j].IsParty || m[j].Hit.Info.Kind == HitKind.ThirdParty) && m[j].Gap.EndsWithDestination)
                {
                    return m[j].Hit.Info.Kind == HitKind.ThirdParty && !ListHasWatched(m, j);
                }
            }

            return false;
        }

        // "India's planned purchase of …": the possessor right before the noun, an adjective at most between.
        for (var j = li - 1; j >= 0 && m[j].Clause == link.Clause && (!link.NounOf || (j == li - 1 && link.Gap.Words <= 2 && link.Gap.Made)); j--)
        {
            if (m[j].IsParty)
            {
                // "Индия увеличила закупки российской нефти и прекратила импорт иранской": the party is the
                // object of an earlier word of transfer right before it, and that word is the outsider's.
                if (j > 0 && m[j - 1].Hit.Info.Link == LinkSort.Transfer && m[j - 1].Clause == link.Clause
                    && m[j].Gap.Words <= 1 && !m[j].Gap.Boundary && Claimed(m, j - 1))
                {
                    return true;
                }

                break;
            }

            if (m[j].Hit.Info.Kind == HitKind.ThirdParty)
            {
                // An outsider beside a word of accusation accuses; it is no party: "Пхеньян отверг обвинения Вашингтона в
                // отправке снарядов в Россию", "Washington's accusations of shell shipments to Russia".
                if (m[j].Gap.Accuse || m[j + 1].Gap.Accuse)
                {
                    continue;
                }

                // "EU sanctions firms for supplying Iranian drones to Russia": whoever the subject is, the
                // word's own object names a product of one party and the other party.
                if (!ListHasWatched(m, j) && !(link.Hit.Info.Link == LinkSort.Transfer && ObjectNamesBoth(m, li)))
                {
                    return true;
                }

                break;
            }
        }

        for (var j = li + 1; j < m.Length && m[j].Clause == link.Clause && m[j].Hit.Field == link.Hit.Field; j++)
        {
            if (m[j].IsParty)
            {
                return false;
            }

            if (m[j].Hit.Info.Kind == HitKind.ThirdParty)
            {
                return m[j].Hit.Start - link.Hit.End <= ThirdPartyReach && !ListHasWatched(m, j);
            }
        }

        return false;
    }

    /// <summary>
    /// After a word of transfer, in its clause: a product of one watched party and then, as where it goes,
    /// another party that is no member of its list ("supplying Iranian drones to Russia", "доставку
    /// иранского оружия для российской армии", "поставки иранских дронов России" with the dative).
    /// </summary>
    private static bool ObjectNamesBoth(Span<Mention> m, int li)
    {
        var product = -1;
        for (var j = li + 1; j < m.Length && m[j].Clause == m[li].Clause && m[j].Hit.Field == m[li].Hit.Field; j++)
        {
            if (!m[j].IsParty)
            {
                continue;
            }

            if (product < 0)
            {
                product = m[j].Product ? j : -1;
                if (product < 0)
                {
                    return false;
                }
            }
            else
            {
                return Recipient(m, j) && m[j].Group != m[product].Group && m[j].List != m[product].List;
            }
        }

        return false;
    }

    /// <summary>"India's" before the next name; in Korean 의 on the outsider's name ("미국의 이란 제재").</summary>
    private static bool Possessive(in Mention outsider, in Gap gap)
    {
        var hit = outsider.Hit.Hit;
        return outsider.Hit.Script == Script.Hangul
            ? hit.Term.Length > hit.Alias.Length && hit.Term.EndsWith('의') && gap.Words == 0
            : gap.Possessive && gap.Words == 1;
    }

    /// <summary>Nothing, or a maker's word, between two names of one noun phrase ("Russian S-400", "Iranian-made").</summary>
    private static bool Tight(in Gap gap) => gap.Empty || (gap.Words == 1 && gap.Made);

    /// <summary>
    /// Where a transfer goes: "to Russia", "для Ирана", "به روسیه", or in Russian a name right after the goods,
    /// which the dative and the genitive spell alike ("поставки иранских дронов России").
    /// </summary>
    private static bool Recipient(Span<Mention> m, int j) =>
        m[j].Gap.EndsWithDestination || (j > 0 && m[j].Gap.Empty && m[j - 1].Hit.Info.Kind == HitKind.Topic && m[j].Hit.Script == Script.Cyrillic);

    /// <summary>A party that is no member of a longer list.</summary>
    private static bool Alone(Span<Mention> m, int a)
    {
        foreach (var x in m)
        {
            if (x.List == m[a].List && !ReferenceEquals(x.Hit.Hit, m[a].Hit.Hit) && (x.IsParty || x.Hit.Info.Kind == HitKind.ThirdParty))
            {
                return false;
            }
        }

        return true;
    }

    private static bool NoPartyBetween(Span<Mention> m, int b, int li)
    {
        for (var j = b + 1; j < li; j++)
        {
            if (m[j].IsParty || m[j].Hit.Info.Kind == HitKind.ThirdParty)
            {
                return false;
            }
        }

        return true;
    }

    private static bool ColonBetween(Span<Mention> m, int a, int li)
    {
        for (var j = a + 1; j <= li; j++)
        {
            if (m[j].Gap.Boundary)
            {
                return m[j].Gap.Colon;
            }
        }

        return false;
    }

    private static bool ListHasWatched(Span<Mention> m, int k)
    {
        foreach (var x in m)
        {
            if (x.List == m[k].List && x.IsParty)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What stands between two hits: a clause break, only list words, a maker's "made", a "from".</summary>
    private static Gap ReadGap(string text, int start, int end)
    {
        var gap = new Gap { Coordination = true, Made = true, From = true, Empty = true };
        var words = 0;
        var previous = WordClass.None;
        var asPending = false;
        var room = default(WordBuffer);
        Span<char> buffer = ((Span<char>)room)[..16];
        // A hit that starts inside a word is a Korean compound's tail ("드론" in 자폭드론): the head belongs to the hit, not the gap.
        while (end > start && end < text.Length && TextFolder.IsWord(text[end - 1]) && TextFolder.IsWord(text[end]))
        {
            end--;
        }

        var i = start;
        while (i < end)
        {
            var c = text[i];
            if (TextFolder.IsWord(c))
            {
                var j = i;
                while (j < end && TextFolder.IsWord(text[j]))
                {
                    j++;
                }

                // Most words are no class word: a table of (length, first letter) rules them out before any hashing.
                var word = MayBeClassWord(text[i], j - i) ? Fold(text.AsSpan(i, j - i), buffer) : default;
                var cls = !word.IsEmpty && WordLookup.TryGetValue(word, out var found) ? found : WordClass.None;
                if (cls == WordClass.None && Morphology.IsKoreanPastClauseEnd(text.AsSpan(i, j - i)))
                {
                    cls = WordClass.Clause;
                }

                words++;
                gap.Empty = false;
                // The few words compared by spelling all have a class: most words need no comparison at all.
                var isAnd = cls != WordClass.None && word.SequenceEqual("و");
                var isS = cls != WordClass.None && word.SequenceEqual("s");
                var isArticle = cls != WordClass.None && (word.SequenceEqual("the") || word.SequenceEqual("a"));
                if (asPending && (cls & WordClass.Starter) != 0)
                {
                    gap.Boundary = true;
                }

                asPending = (cls & WordClass.As) != 0 && (previous & WordClass.NotClauseAs) == 0;
                gap.EndsWithAs = asPending;
                gap.Boundary |= (cls & WordClass.As) != 0 && (previous & WordClass.ClauseAs) != 0; // "even as Washington presses"
                gap.Boundary |= (cls & WordClass.Clause) != 0;
                gap.Boundary |= (previous & WordClass.VerbEnd) != 0 && isAnd;
                gap.StartsWithAnd |= words == 1 && isAnd;
                gap.Coordination &= (cls & WordClass.Coordinator) != 0;
                gap.Marker |= (cls & WordClass.Coordinator) != 0 && !isS;
                // "Iranian-made Mohajer drones", "North Korean-made KN-23 missiles": the maker's word, then a name or two.
                gap.Made &= words <= 3 && (words == 1 ? (cls & WordClass.Made) != 0 : gap.MadeFirst);
                gap.MadeFirst |= words == 1 && (cls & WordClass.Made) != 0;
                gap.From &= (cls & WordClass.From) != 0 && words <= 2;
                gap.Office = words == 1 ? (cls & WordClass.Coordinator) != 0 : gap.Office && (cls & WordClass.Office) != 0;
                if (!isArticle)
                {
                    // "to the DPRK", "from the North", "with a": an article keeps what the word before said.
                    gap.EndsWithBetween = (cls & WordClass.Between) != 0;
                    gap.EndsWithWith = (cls & WordClass.With) != 0 && (previous & WordClass.Together) == 0; // not "together with", "вместе с"
                    gap.EndsWithSource = (cls & WordClass.Source) != 0;
                    gap.EndsWithDestination = (cls & WordClass.Destination) != 0;
                    gap.EndsWithFor = (cls & WordClass.For) != 0;
                    gap.EndsWithMutual = (cls & WordClass.Mutual) != 0;
                }

                gap.OnlyFor = words == 1 && (cls & WordClass.For) != 0;
                gap.Possessive |= words == 1 && isS && i > start && text[i - 1] is ('\'' or '’');
                gap.Meet |= (cls & WordClass.Meet) != 0;
                gap.Accuse |= (cls & WordClass.Accuse) != 0;
                gap.StartsWithTogether |= words == 1 && (cls & WordClass.Together) != 0;
                gap.Message |= (cls & WordClass.Message) != 0;
                previous = cls;
                i = j;
                continue;
            }

            switch (c)
            {
                case ';' or ':' or '(' or ')' or '[' or ']' or '|' or '؛' or '…':
                    gap.Boundary = true; // "…" parts Korean headlines: "러시아산 석유 수입 금지…이란 핵협상도 난항"
                    gap.Colon |= c is ':' or '…'; // a Korean headline parts its halves with "…" where an English one has a colon
                    break;
                case ',' or '/' or '&' or '-' or '、' or '،' or '·' or '・':
                    gap.Marker = true; // "Russia, Iran and Venezuela", "Russia-Iran", "Россия/Иран"
                    gap.Dot |= c is '·' or '・';
                    gap.Comma |= c is ',';
                    break;
                case '—' or '–' when i > start && char.IsWhiteSpace(text[i - 1]):
                    gap.Boundary = true;
                    break;
                case '—' or '–':
                    gap.Marker = true; // "Iran–North Korea cooperation", "Tehran–Moscow agreements"
                    break;
                case '.' or '!' or '?':
                    gap.Coordination = false; // "N. Korea" aside, a full stop inside a unit parts its halves
                    break;
            }

            i++;
        }

        gap.From &= words > 0;
        gap.Office &= words >= 2 && !gap.Boundary && !gap.Comma;
        gap.Words = words;
        return gap;
    }

    /// <summary>
    /// One Korean word that names both sides, 북러 or 러·북 (North Korea–Russia): what it is said of passes between them
    /// ("북러 군수품 이전", munitions transferred between the two). Not 북중러, which names China too, nor two names
    /// the alias only spans ("북, 러시아 …").
    /// </summary>
    private static bool PairWord(in Mention a, in Mention b) =>
        a.Hit.Start == b.Hit.Start && a.Hit.Field == b.Hit.Field && !a.Hit.Hit.Alias.Contains('중', StringComparison.Ordinal)
        && a.Hit.Hit.Term.AsSpan().IndexOfAny(' ', ',') < 0; // a headline's "북, 러시아에 …" is the actor, then where it acts

    /// <summary>"Iranian", "North Korean", "Chinese": a name used as an adjective.</summary>
    private static bool Adjective(string term) =>
        term.EndsWith("ian", StringComparison.OrdinalIgnoreCase) || term.EndsWith("ean", StringComparison.OrdinalIgnoreCase)
        || term.EndsWith("ese", StringComparison.OrdinalIgnoreCase) || term.EndsWith("ish", StringComparison.OrdinalIgnoreCase)
        || term.EndsWith("ians", StringComparison.OrdinalIgnoreCase) || term.EndsWith("eans", StringComparison.OrdinalIgnoreCase);

    private static bool FollowedByPossessive(string text, int end) =>
        end + 1 < text.Length && text[end] is ('\'' or '’') && text[end + 1] is ('s' or 'S');

    private static bool FollowedByOf(string text, int end)
    {
        var rest = text.AsSpan(end).TrimStart();
        return rest.Length > 3 && rest.StartsWith("of", StringComparison.OrdinalIgnoreCase) && !TextFolder.IsWord(rest[2]);
    }

    private static ReadOnlySpan<char> Fold(ReadOnlySpan<char> word, Span<char> buffer)
    {
        var n = 0;
        foreach (var c in word)
        {
            var f = TextFolder.Fold[c];
            if (f != TextFolder.Ignored && n < buffer.Length)
            {
                buffer[n++] = f;
            }
        }

        return buffer[..n];
    }

    internal static Evidence? FirstEvidence(in MatchInput input, ReadOnlySpan<Located> located)
    {
        if (located.IsEmpty)
        {
            return null;
        }

        var first = located[0];
        var text = WatchlistMatcher.FieldText(input, first.Field);
        var start = 0;
        var end = first.Field == ItemField.Title ? text.Length : Sentences.EndOf(text, 0);
        while (end <= first.Start)
        {
            start = end;
            end = Sentences.EndOf(text, start);
        }

        return MakeEvidence(input, new Sentence(first.Field, 0, start, end, 0), located);
    }

    private static Evidence MakeEvidence(in MatchInput input, Sentence sentence, ReadOnlySpan<Located> located)
    {
        var text = WatchlistMatcher.FieldText(input, sentence.Field);
        var (start, end) = Sentences.Trim(text, sentence.Start, sentence.End);
        if (end - start > EvidenceMaxChars)
        {
            // Keep the window around the first hit in an overlong "sentence" (lists, tables without stops).
            var firstHit = start;
            foreach (var l in located)
            {
                if (l.Field == sentence.Field && l.Start >= start)
                {
                    firstHit = l.Start;
                    break;
                }
            }

            start = Math.Max(start, firstHit - (EvidenceMaxChars / 4));
            end = Math.Min(end, start + EvidenceMaxChars);
        }

        var highlights = new List<Highlight>();
        foreach (var l in located)
        {
            if (l.Field == sentence.Field && l.Start >= start && l.End <= end)
            {
                highlights.Add(new Highlight(l.Start - start, l.End - l.Start));
            }
        }

        return new Evidence(sentence.Field, text[start..end], highlights);
    }

    /// <summary>The sum of the three largest weights added: evidence anywhere in a long article counts.</summary>
    private struct TopThree
    {
        private double _a, _b, _c;

        public readonly double Sum => _a + _b + _c;

        public void Add(double w)
        {
            if (w > _a)
            {
                (_a, _b, _c) = (w, _a, _b);
            }
            else if (w > _b)
            {
                (_b, _c) = (w, _b);
            }
            else if (w > _c)
            {
                _c = w;
            }
        }
    }

    private sealed class Sentence(ItemField field, int index, int start, int end, int first)
    {
        public ItemField Field { get; } = field;
        public int Index { get; } = index;
        public int Start { get; } = start;
        public int End { get; } = end;

        /// <summary>The first of its hits in the located list, and how many.</summary>
        public int First { get; } = first;
        public int Count { get; set; }
        public ulong Entities { get; set; }
        public ulong Topics { get; set; }
        public int Links { get; set; }
        public int ThirdParties { get; set; }
        public Strength Strength { get; set; }
    }

    private struct Gap
    {
        public bool Boundary;
        public bool Coordination;
        public bool Made;
        public bool From;
        public bool Empty;
        public bool EndsWithBetween;
        public bool EndsWithWith;

        /// <summary>The gap's last word is "mutual": "Moscow and Pyongyang deny mutual arms supplies".</summary>
        public bool EndsWithMutual;
        public bool EndsWithSource;
        public bool EndsWithDestination;
        public bool OnlyFor;
        public bool EndsWithFor;
        public bool MadeFirst;
        public bool Meet;
        public bool Colon;

        /// <summary>The gap's first word is "together" (함께): the Korean "이란과 함께" before it is a partner, not the other side.</summary>
        public bool StartsWithTogether;

        /// <summary>A word for a message or letter stands in the gap.</summary>
        public bool Message;

        /// <summary>A word of accusation stands in the gap: "обвинения Вашингтона", "Washington's accusations of".</summary>
        public bool Accuse;

        /// <summary>The gap's last word is a clause's "as" (not "such as", "as well as").</summary>
        public bool EndsWithAs;

        /// <summary>The gap's first word is Persian "و" (and).</summary>
        public bool StartsWithAnd;

        /// <summary>A middle dot, which lists in Korean headlines ("러시아·이란산").</summary>
        public bool Dot;

        /// <summary>A comma, which in a Korean headline may end its subject ("러, 北 탄도미사일 쏴").</summary>
        public bool Comma;

        /// <summary>"and" and then an office only: "Шойгу и министр обороны Ирана", the second side of a list.</summary>
        public bool Office;

        /// <summary>"India's": an apostrophe and s first.</summary>
        public bool Possessive;
        public int Words;

        /// <summary>A comma, slash, hyphen or coordinating word: without one, two names side by side are no list (북한이 러시아에).</summary>
        public bool Marker;
    }

    private struct Mention(Located hit, int group)
    {
        public readonly Located Hit = hit;

        /// <summary>The watched entity group, or -1 for topics, links and third parties.</summary>
        public readonly int Group = group;

        public Gap Gap;
        public int Clause;
        public int List;
        public bool Product;
        public bool Between;
        public int OwnedBy = -1;

        /// <summary>A party an outsider's possessive owns: "India's Russian oil", "미국의 이란 공습".</summary>
        public bool Owned;

        /// <summary>A word of dealing used as a noun with "of" after it: "the supply of …".</summary>
        public bool NounOf;

        /// <summary>"together" follows: "이란과 함께" (together with Iran).</summary>
        public bool TogetherAfter;

        public readonly bool IsParty => Group >= 0;
    }

    /// <summary>Oil-market headlines in the four languages: prices, benchmarks, futures (not a price cap, which is a sanction).</summary>
    [GeneratedRegex(@"\b(?:brent|wti|(?:oil|crude) (?:prices?|futures)(?! cap))\b|цен[аыуе] на нефть|нефть (?:подорожал|подешевел)|нефтяные котировки|قیمت نفت(?! روسیه)|برنت|국제유가|유가(?![족증])|브렌트", RegexOptions.IgnoreCase)]
    private static partial Regex MarketHeadline();
}
