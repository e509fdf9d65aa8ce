using System.Buffers;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Alerts.Core.Matching;

/// <summary>
/// A watchlist compiled once into one-pass automata, reused for every item and safe to share
/// between threads. An item with no hit costs no allocation at all.
/// </summary>
public sealed partial class WatchlistMatcher
{
    private const int MaxGroups = 64; // group sets are 64-bit masks
    private const int MaxWordChars = WordBuffer.Length; // longer "words" (URLs, base64) are no inflected alias
    private const int Nearby = 250;      // characters within which a word of dealing or a third party can matter
    private const long InclusionBit = 2; // in a candidate's sort key: set unless the candidate is an exclusion

    private readonly Term[] _terms;
    private readonly DenseAutomaton? _ascii;
    private readonly int[] _asciiIds = [];
    private readonly AhoCorasick? _other;
    private readonly int[] _otherIds = [];
    private readonly MatchResult _noHits;
    private readonly DealingScorer _scorer;

    private WatchlistMatcher(Watchlist watchlist, Term[] terms)
    {
        Watchlist = watchlist;
        _terms = terms;
        _noHits = MatchResult.NoHits(watchlist.Name);
        _scorer = new DealingScorer(watchlist);

        var ascii = new List<int>();
        var other = new List<int>();
        for (var i = 0; i < terms.Length; i++)
        {
            (terms[i].Key.All(char.IsAscii) ? ascii : other).Add(i);
        }

        if (ascii.Count > 0)
        {
            _asciiIds = [.. ascii];
            _ascii = new DenseAutomaton([.. ascii.Select(i => terms[i].Key)]);
        }

        if (other.Count > 0)
        {
            _otherIds = [.. other];
            _other = new AhoCorasick([.. other.Select(i => terms[i].Key)]);
        }
    }

    public Watchlist Watchlist { get; }

    /// <summary>Number of aliases, gazetteer names, topic terms, links and exclusions compiled.</summary>
    public int TermCount => _terms.Length;

    /// <summary>Validates and compiles a watchlist, with the gazetteer it names.</summary>
    /// <exception cref="WatchlistException">The watchlist is invalid; the message names the field.</exception>
    public static WatchlistMatcher Compile(Watchlist watchlist)
    {
        WatchlistValidator.Validate(watchlist);
        return Compile(watchlist, watchlist.Gazetteer is { } name ? Gazetteers.Get(name) : null);
    }

    /// <summary>Compiles a watchlist with the given gazetteer (tests give their own).</summary>
    internal static WatchlistMatcher Compile(Watchlist watchlist, GazetteerFile? gazetteer)
    {
        WatchlistValidator.Validate(watchlist);
        var terms = new List<Term>();
        // One set of (folded alias, kind, group) makes de-duplication linear: a list scan made 200,000 aliases take minutes.
        var seen = new HashSet<(string Folded, HitKind Kind, int Group)>();
        // Order settles which spelling reports a name found twice: a gazetteer name that implies a topic
        // ("Kharg Island" → Iran, oil) before the watchlist's aliases, which come before the gazetteer's
        // plain places and officials (a watchlist "Moscow" needs no "Moscow → Russian capital → Russia").
        AddGazetteer(terms, seen, watchlist, gazetteer, withTopic: true);
        // A watchlist alias the gazetteer knows as an official ("Putin") is a person, like the gazetteer's own entry.
        var people = (gazetteer?.Entries ?? []).Where(e => e.IsPerson).SelectMany(e => e.Aliases.All).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var g = 0; g < watchlist.Entities.Count; g++)
        {
            AddTerms(terms, seen, watchlist.Entities[g].Aliases.Where(people.Contains), new TermInfo(HitKind.Entity, g, watchlist.Entities[g].Name) { Person = true });
            AddTerms(terms, seen, watchlist.Entities[g].Aliases.Where(a => !people.Contains(a)), new TermInfo(HitKind.Entity, g, watchlist.Entities[g].Name));
            AddTerms(terms, seen, watchlist.Entities[g].ContextAliases, new TermInfo(HitKind.Entity, g, watchlist.Entities[g].Name) { Contextual = true });
        }

        AddGazetteer(terms, seen, watchlist, gazetteer, withTopic: false);
        for (var g = 0; g < watchlist.Topics.Count; g++)
        {
            AddTerms(terms, seen, watchlist.Topics[g].Aliases, new TermInfo(HitKind.Topic, g, watchlist.Topics[g].Name));
        }

        AddTerms(terms, seen, watchlist.Links, new TermInfo(HitKind.Link, 0, "link") { Link = LinkSort.Transfer });
        AddTerms(terms, seen, watchlist.Agreements, new TermInfo(HitKind.Link, 1, "agreement") { Link = LinkSort.Agreement });
        AddTerms(terms, seen, watchlist.Uses, new TermInfo(HitKind.Link, 2, "use") { Link = LinkSort.Use });
        AddTerms(terms, seen, watchlist.ThirdParties, new TermInfo(HitKind.ThirdParty, 0, "third party"));
        AddTerms(terms, seen, watchlist.Exclusions, new TermInfo(Term.Exclusion, 0, "exclusion"));
        return new WatchlistMatcher(watchlist, [.. terms]);
    }

    private static void AddGazetteer(List<Term> terms, HashSet<(string, HitKind, int)> seen, Watchlist watchlist, GazetteerFile? gazetteer, bool withTopic)
    {
        foreach (var entry in gazetteer?.Entries ?? [])
        {
            var group = watchlist.Entities.FindIndex(g => string.Equals(g.Name, entry.Country, StringComparison.OrdinalIgnoreCase));
            if (group < 0 || (entry.Topic is not null) != withTopic)
            {
                continue; // a country this watchlist does not watch, or the other pass
            }

            var topic = entry.Topic is null ? -1 : watchlist.Topics.FindIndex(g => string.Equals(g.Name, entry.Topic, StringComparison.OrdinalIgnoreCase));
            var origin = entry.Origin is null ? -1 : watchlist.Entities.FindIndex(g => string.Equals(g.Name, entry.Origin, StringComparison.OrdinalIgnoreCase));
            var fires = entry.Fires is null ? -1 : watchlist.Topics.FindIndex(g => string.Equals(g.Name, entry.Fires, StringComparison.OrdinalIgnoreCase));
            var info = new TermInfo(HitKind.Entity, group, watchlist.Entities[group].Name)
            {
                Entry = entry, TopicGroup = topic, Product = entry.IsProduct, Media = entry.IsMedia, OriginGroup = origin == group ? -1 : origin, Theatre = entry.IsTheatre, Company = entry.IsCompany,
                Person = entry.IsPerson, FiresGroup = fires,
            };
            AddTerms(terms, seen, entry.Aliases.All.SelectMany(WithJoinedDesignation), info);
        }
    }

    /// <summary>
    /// A designation is also written without its hyphen or space: "KN23", "S300", Persian "اس۳۰۰" and "تی۹۰"
    /// (the digits fold to ASCII). The joined spelling is added where letters meet digits across one separator.
    /// </summary>
    private static IEnumerable<string> WithJoinedDesignation(string alias)
    {
        yield return alias;
        var joined = DesignationSeparator().Replace(alias, "");
        if (joined != alias)
        {
            yield return joined;
        }
    }

    [GeneratedRegex(@"(?<=\p{L})[-\u2010\u2011 ](?=\p{Nd})")]
    private static partial Regex DesignationSeparator();

    private static void AddTerms(List<Term> terms, HashSet<(string, HitKind, int)> seen, IEnumerable<string> aliases, TermInfo info)
    {
        foreach (var alias in aliases)
        {
            var prefix = alias.EndsWith('*');
            var folded = TextFolder.FoldAlias(prefix ? alias.AsSpan(0, alias.Length - 1) : alias);
            if (folded.Length == 0 || !seen.Add((prefix ? folded + "*" : folded, info.Kind, info.Group)))
            {
                continue; // "Kim Jong Un" and "Kim Jong-un" fold alike: one term, the first spelling reported
            }

            var script = Morphology.ScriptOf(folded);
            var mode = prefix ? TermMode.Prefix
                : script == Script.Hangul ? TermMode.Hangul
                : Morphology.Inflects(script) ? TermMode.Forms
                : TermMode.Word;
            var words = mode == TermMode.Forms ? folded.Split(' ') : [];
            // Inflected aliases are looked for by the shortest stem of their first word; the word forms are checked where found.
            var key = mode == TermMode.Forms ? Morphology.ShortestStem(words[0], script) : folded;
            // Korean writes compounds as one word: a topic or dealing noun may also end one (자폭드론, 탄도미사일을, 군사협력).
            // A verb form does not: "사들이" (buy) is no tail of 회사들이 (companies) or 정유사들이 (refiners).
            var compound = mode == TermMode.Hangul && (info.Kind == HitKind.Topic || info.Product || (info.Kind == HitKind.Link && !Morphology.IsKoreanVerbForm(folded)))
                && folded.Length >= 2 && !folded.Contains(' ', StringComparison.Ordinal);
            // One syllable (러, 北, 美) and other countries' names take only particles after them: 러시아 is
            // Russia, but 러닝 is not, and 인도했다 (handed over) is no India.
            var particlesOnly = mode == TermMode.Hangul && (folded.Length == 1 || info.Kind == HitKind.ThirdParty);
            terms.Add(new Term(alias, key, info, mode, script, words, compound, particlesOnly));
        }
    }

    /// <summary>Matches one item.</summary>
    public MatchResult Match(in MatchInput input)
    {
        if (string.IsNullOrEmpty(input.Title) && string.IsNullOrEmpty(input.Summary) && string.IsNullOrEmpty(input.Content))
        {
            return _noHits;
        }

        // Hit-dense text (a long article) finds about one candidate per 30 characters: the first buffer is sized for that,
        // not grown four times over.
        var sink = new CandidateSink(this) { Expected = ((input.Title?.Length ?? 0) + (input.Summary?.Length ?? 0) + (input.Content?.Length ?? 0)) / 32 };
        try
        {
            ScanField(input.Title, ItemField.Title, ref sink);
            ScanField(input.Summary, ItemField.Summary, ref sink);
            ScanField(input.Content, ItemField.Content, ref sink);
            // Words of dealing and third parties alone explain nothing: no entity or topic, no result to build.
            if (sink.Substantive == 0)
            {
                return _noHits;
            }

            // All scratch space for this item is taken here, not in Explain: a method that stackallocs is compiled once,
            // fully but without the run-time profile, and Explain gains from the profile (checked with perf). What the
            // scorer reads is rented rather than allocated per item.
            var count = sink.Count;
            var rented = count > 256 ? ArrayPool<long>.Shared.Rent(count) : null;
            var keys = rented is null ? stackalloc long[count] : rented.AsSpan(0, count);
            var keep = count <= 256 ? stackalloc bool[count] : new bool[count];
            var located = ArrayPool<Located>.Shared.Rent(count);
            try
            {
                return Explain(input, sink.Candidates.AsSpan(0, count), keys, keep, located);
            }
            finally
            {
                ArrayPool<Located>.Shared.Return(located, clearArray: true);
                if (rented is not null)
                {
                    ArrayPool<long>.Shared.Return(rented);
                }
            }
        }
        finally
        {
            sink.Return();
        }
    }

    private void ScanField(string? text, ItemField field, ref CandidateSink sink)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        sink.BeginField(field, text);
        if (_ascii is not null)
        {
            sink.Ids = _asciiIds;
            _ascii.Scan(text, ref sink);
        }

        if (_other is not null)
        {
            sink.Ids = _otherIds;
            _other.Scan(text, ref sink);
        }
    }

    private MatchResult Explain(in MatchInput input, Span<Candidate> candidates, Span<long> keys, Span<bool> keep, Located[] located)
    {
        // By field, then start, longest first, exclusions first among equal spans: anything a candidate
        // contains comes after it, so each needs comparing only with the candidates that start inside it.
        SortCandidates(candidates, keys);

        // Exclusions ("South Korea", "olive oil") and shorter hits inside longer ones of the same kind are dropped.
        // The sort key says which candidates are no exclusion (its inclusion bit).
        for (var i = 0; i < candidates.Length; i++)
        {
            keep[i] = (keys[i] & InclusionBit) != 0;
        }

        for (var i = 0; i < candidates.Length; i++)
        {
            ref readonly var outer = ref candidates[i];
            for (var j = i + 1; j < candidates.Length && candidates[j].Field == outer.Field && candidates[j].Start < outer.End; j++)
            {
                ref readonly var inner = ref candidates[j];
                if (!keep[j] || inner.End > outer.End)
                {
                    continue;
                }

                if (Swallows(keep[i], _terms[outer.Term].Info, _terms[inner.Term].Info, inner.Start == outer.Start && inner.End == outer.End))
                {
                    keep[j] = false;
                }
            }
        }

        // Words of dealing and third parties far from any entity or topic ("used", "trade", "Washington" in
        // another paragraph) explain nothing and read in no sentence that counts: they are left out.
        // In the same pass, which groups are named how: "The North" stands for North Korea only where North Korea is named
        // otherwise. A theatre of war ("Kharkiv", "Ukraine" for Russia's war) stands for its country only where another
        // country's known weapon is named too ("a North Korean Hwasong-11 fell on Kharkiv"); elsewhere it says nothing and is not shown.
        var lastSubstantive = int.MinValue;
        var lastField = (ItemField)(-1);
        ulong named = 0, products = 0, theatres = 0;
        var contextual = false;
        for (var i = 0; i < candidates.Length; i++)
        {
            if (!keep[i])
            {
                continue;
            }

            var c = candidates[i];
            var info = _terms[c.Term].Info;
            if (info.Kind is HitKind.Entity or HitKind.Topic)
            {
                lastSubstantive = c.End;
                lastField = c.Field;
                if (info.Kind == HitKind.Entity)
                {
                    named |= info.Contextual || info.Theatre ? 0 : 1UL << info.Group;
                    contextual |= info.Contextual;
                    theatres |= info.Theatre ? 1UL << info.Group : 0;
                    products |= info.Product ? 1UL << info.Group : 0;
                }
            }
            else if (c.Field != lastField || c.Start - lastSubstantive > Nearby)
            {
                keep[i] = HasSubstantiveAfter(candidates, keep, i);
            }
        }

        // Some theatre's group has a product of another group beside it: products and theatres are not one and the same group.
        var theatreCounts = theatres != 0 && products != 0 && BitOperations.PopCount(theatres | products) > 1;

        // A country named right beside a topic word is that goods' maker ("Iranian drones", "پهپادهای ایرانی", "북한 미사일").
        // Such goods make a theatre count too, but only where it is named as a place ("Iranian drones over Ukraine"), not as
        // the one who acts ("Ukraine is firing North Korean rockets").
        ulong makers = 0;
        if (theatres != 0 && !theatreCounts)
        {
            for (var i = 0; i < candidates.Length; i++)
            {
                var info = _terms[candidates[i].Term].Info;
                if (keep[i] && info is { Kind: HitKind.Entity, Theatre: false, Media: false, Contextual: false } && NextToGoods(input, candidates, keep, i))
                {
                    makers |= 1UL << info.Group;
                }
            }
        }

        var placesCount = makers != 0 && BitOperations.PopCount(theatres | makers) > 1;

        // Context aliases without their group named, and theatres that stand for nothing, are not shown.
        if (contextual || (theatres != 0 && !theatreCounts))
        {
            for (var i = 0; i < candidates.Length; i++)
            {
                var info = _terms[candidates[i].Term].Info;
                if (keep[i] && ((info.Contextual && (named & (1UL << info.Group)) == 0)
                    || (info.Theatre && !theatreCounts && !(placesCount && AsPlace(input, candidates[i])))))
                {
                    keep[i] = false;
                }
            }
        }

        return Build(input, candidates, keep, located);
    }

    /// <summary>Turns the candidates still kept into hits, and hands them to the scorer.</summary>
    private MatchResult Build(in MatchInput input, Span<Candidate> candidates, Span<bool> keep, Located[] located)
    {
        var hits = new List<Hit>(candidates.Length);
        var count = 0;
        ulong entityMask = 0, topicMask = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            if (!keep[i])
            {
                continue;
            }

            var c = candidates[i];
            var term = _terms[c.Term];
            var text = FieldText(input, c.Field);
            // Most hits read exactly as their alias ("Iran", "oil"): the alias's string serves, nothing is copied.
            var span = text.AsSpan(c.Start, c.End - c.Start);
            var matched = span.SequenceEqual(term.Alias) ? term.Alias : span.ToString();
            var hit = new Hit(matched, term.Alias, term.Info.GroupName, term.Info.Kind, c.Field, c.Start, c.End - c.Start, term.Info.Via);
            hits.Add(hit);
            located[count++] = new Located(c.Field, c.Start, c.End, term.Info, term.Script, hit);
            if (term.Info.Kind == HitKind.Entity)
            {
                entityMask |= 1UL << term.Info.Group;
            }
            else if (term.Info.Kind == HitKind.Topic)
            {
                topicMask |= 1UL << term.Info.Group;
            }

            if (term.Info.TopicGroup >= 0)
            {
                topicMask |= 1UL << term.Info.TopicGroup;
            }
        }

        if (hits.Count == 0)
        {
            return _noHits;
        }

        var rule = Watchlist.Rule;
        var entities = GroupNames(Watchlist.Entities, entityMask);
        var topics = GroupNames(Watchlist.Topics, topicMask);
        var documentOk = BitOperations.PopCount(entityMask) >= rule.MinEntityGroups && BitOperations.PopCount(topicMask) >= rule.MinTopicGroups;
        if (!documentOk)
        {
            var reason = $"needs {rule.MinEntityGroups} entity group(s) and {rule.MinTopicGroups} topic group(s); found {entities.Count} ({string.Join(", ", entities)}) and {topics.Count} ({string.Join(", ", topics)})";
            return new MatchResult(Watchlist.Name, false, 0, entities, topics, hits, DealingScorer.FirstEvidence(input, located.AsSpan(0, count)), reason);
        }

        return _scorer.Score(input, located.AsSpan(0, count), hits, entities, topics);
    }

    private bool AsPlace(in MatchInput input, in Candidate c)
    {
        var term = _terms[c.Term];
        return DealingScorer.AsPlace(FieldText(input, c.Field), c.Start, c.End, term.Alias.Length, term.Script);
    }

    /// <summary>Whether the kept candidate right before or after candidate <paramref name="i"/> is a topic word with nothing but a space or hyphen between.</summary>
    private bool NextToGoods(in MatchInput input, Span<Candidate> candidates, Span<bool> keep, int i)
    {
        var c = candidates[i];
        var text = FieldText(input, c.Field);
        for (var j = i + 1; j < candidates.Length; j++)
        {
            if (keep[j])
            {
                // A Korean compound's head is part of the goods: "북한제 단거리미사일".
                if (candidates[j].Field == c.Field && _terms[candidates[j].Term].Info.Kind == HitKind.Topic
                    && Adjoins(text, c.End, _terms[candidates[j].Term].Script == Script.Hangul ? WordStart(text, candidates[j].Start) : candidates[j].Start))
                {
                    return true;
                }

                break;
            }
        }

        for (var j = i - 1; j >= 0; j--)
        {
            if (keep[j])
            {
                return candidates[j].Field == c.Field && _terms[candidates[j].Term].Info.Kind == HitKind.Topic && Adjoins(text, candidates[j].End, c.Start);
            }
        }

        return false;
    }

    /// <summary>Where the word holding <paramref name="i"/> starts.</summary>
    internal static int WordStart(ReadOnlySpan<char> text, int i)
    {
        while (i > 0 && TextFolder.IsWord(text[i - 1]))
        {
            i--;
        }

        return i;
    }

    /// <summary>Two spans with at most two characters between them, neither a letter nor a digit: "Iranian drones", "KN-23".</summary>
    internal static bool Adjoins(ReadOnlySpan<char> text, int end, int start)
    {
        if (start < end || start - end > 2)
        {
            return false;
        }

        foreach (var ch in text[end..start])
        {
            if (TextFolder.IsWord(ch))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a candidate inside another (or on the same span) is dropped in favour of the outer one.</summary>
    private static bool Swallows(bool outerKept, TermInfo outer, TermInfo inner, bool sameSpan)
    {
        if (outer.Kind == Term.Exclusion)
        {
            return true; // inside an exclusion ("South Korea", "olive oil"): gone, kept or not
        }

        if (!outerKept)
        {
            return false;
        }

        if (outer.Kind == inner.Kind)
        {
            // Inside a longer (or the same) hit of its kind: gone, except another group's name on the very same
            // span: Korean 북러 is North Korea and Russia at once.
            return !(outer.Kind == HitKind.Entity && sameSpan && inner.Group != outer.Group);
        }

        // A topic word inside a known name that carries the topic is part of the name: the "нефть" of "Газпром нефть"
        // would otherwise make the company a maker of oil rather than a party. And a word that is the goods is no word
        // of dealing too: Persian تسلیحات (armaments) is also a form of تسلیح (arming).
        return (inner.Kind == HitKind.Topic && outer.Entry is not null && outer.TopicGroup == inner.Group)
            || (outer.Kind == HitKind.Topic && inner.Kind == HitKind.Link && sameSpan);
    }

    /// <summary>
    /// By field, start, longest first, exclusions first; then the term compiled first. One 64-bit key per
    /// candidate sorts as primitives do (a comparer on the records cost more than the scan on hit-dense
    /// text); the rare runs of equal spans are then put in term order.
    /// </summary>
    private void SortCandidates(Span<Candidate> candidates, Span<long> keys)
    {
        const int Bits = 25;
        const long Mask = (1L << Bits) - 1;
        for (var i = 0; i < candidates.Length; i++)
        {
            var c = candidates[i];
            var inclusion = _terms[c.Term].Info.Kind == Term.Exclusion ? 0L : InclusionBit;
            keys[i] = ((long)c.Field << 52) | (Math.Min(c.Start, Mask) << 27) | ((Mask - Math.Min(c.End, Mask)) << 2) | inclusion;
        }

        // The scanners report in text order, so the keys are nearly sorted already (a longer key ending where a shorter one
        // does, a Cyrillic name after a Latin one): insertion sort, unless that turns out to cost more than a full sort.
        var budget = 8 * candidates.Length;
        for (var i = 1; i < candidates.Length && budget >= 0; i++)
        {
            for (var j = i; j > 0 && keys[j] < keys[j - 1]; j--)
            {
                (keys[j], keys[j - 1]) = (keys[j - 1], keys[j]);
                (candidates[j], candidates[j - 1]) = (candidates[j - 1], candidates[j]);
                budget--;
            }
        }

        if (budget < 0)
        {
            keys.Sort(candidates);
        }

        for (var i = 1; i < candidates.Length; i++)
        {
            // Insertion sort by term inside a run of equal keys (a name and an alias on the same span).
            for (var j = i; j > 0 && keys[j] == keys[j - 1] && candidates[j].Term < candidates[j - 1].Term; j--)
            {
                (candidates[j], candidates[j - 1]) = (candidates[j - 1], candidates[j]);
            }
        }
    }

    private bool HasSubstantiveAfter(Span<Candidate> candidates, Span<bool> keep, int i)
    {
        var c = candidates[i];
        for (var j = i + 1; j < candidates.Length && candidates[j].Field == c.Field && candidates[j].Start - c.End <= Nearby; j++)
        {
            if (keep[j] && _terms[candidates[j].Term].Info.Kind is HitKind.Entity or HitKind.Topic)
            {
                return true;
            }
        }

        return false;
    }

    internal static string FieldText(in MatchInput input, ItemField field) => field switch
    {
        ItemField.Title => input.Title!,
        ItemField.Summary => input.Summary!,
        _ => input.Content!,
    };

    private static List<string> GroupNames(List<TermGroup> groups, ulong mask)
    {
        var names = new List<string>(BitOperations.PopCount(mask));
        for (var g = 0; g < groups.Count; g++)
        {
            if ((mask & (1UL << g)) != 0)
            {
                names.Add(groups[g].Name);
            }
        }

        return names;
    }

    internal static int MaxGroupCount => MaxGroups;

    /// <summary>How an alias meets the text.</summary>
    private enum TermMode
    {
        /// <summary>A whole word; English plurals (-s, -es) too.</summary>
        Word,

        /// <summary>Written with a trailing <c>*</c>: any word that starts with it.</summary>
        Prefix,

        /// <summary>Russian and Persian: every word a form of the alias's word (<see cref="Morphology.IsForm"/>).</summary>
        Forms,

        /// <summary>Korean: a word start, particles and compound tails after it.</summary>
        Hangul,
    }

    private sealed record Term(string Alias, string Key, TermInfo Info, TermMode Mode, Script Script, string[] Words, bool Compound, bool ParticlesOnly)
    {
        /// <summary>Exclusions share the automaton with hits; this kind never reaches a result.</summary>
        public const HitKind Exclusion = (HitKind)99;
    }

    private record struct Candidate(int Term, ItemField Field, int Start, int End);

    /// <summary>Receives raw automaton output, keeps whole-word occurrences (and word forms) and records where they are.</summary>
    private ref struct CandidateSink(WatchlistMatcher matcher) : IMatchSink
    {
        private ItemField _field;
        private ReadOnlySpan<char> _text;

        public int[] Ids { get; set; } = [];
        public Candidate[] Candidates { get; private set; } = [];

        /// <summary>How many candidates the text is likely to hold: the first buffer's size.</summary>
        public int Expected { get; init; }
        public int Count { get; private set; }

        /// <summary>Entity and topic candidates: the ones that can make a result.</summary>
        public int Substantive { get; private set; }

        public void BeginField(ItemField field, ReadOnlySpan<char> text)
        {
            _field = field;
            _text = text;
        }

        public void OnMatch(int keyId, int end, int minStart, int maxStart)
        {
            var term = matcher._terms[Ids[keyId]];
            var text = _text;
            var start = StartOf(text, end, term.Key);
            if (start < minStart || start >= maxStart)
            {
                return; // the other half of a split scan reports it
            }
            var atWordStart = start == 0 || !TextFolder.IsWord(text[start - 1]);
            if (!atWordStart && term.Script == Script.Arabic && term.Info.Kind == HitKind.Link && AfterVerbPrefix(text, start))
            {
                atWordStart = true; // می‌فرستند, بفرستد: the prefix stays outside the hit
            }

            switch (term.Mode)
            {
                case TermMode.Word:
                    if (!atWordStart)
                    {
                        return; // "oil" in "turmoil", "arms" in "farms"
                    }

                    if (end < text.Length && TextFolder.IsWord(text[end]))
                    {
                        // Plurals of English words: "missiles", "tankers", "Iranians", "launches".
                        var fold = TextFolder.Fold;
                        if (fold[text[end]] == 's' && (end + 1 == text.Length || !TextFolder.IsWord(text[end + 1])))
                        {
                            end += 1;
                        }
                        else if (fold[text[end]] == 'e' && end + 1 < text.Length && fold[text[end + 1]] == 's' && (end + 2 == text.Length || !TextFolder.IsWord(text[end + 2])))
                        {
                            end += 2;
                        }
                        else if (Morphology.IsHangulSyllable(text[end]) && Morphology.IsKoreanParticle(text[end..WordEnd(text, end)]))
                        {
                            // Korean puts its particle straight onto a Latin name: "MiG-29를", "S-400을", "KN-23이". The hit
                            // stays the name; the particle is read from the text where it matters.
                        }
                        else
                        {
                            return;
                        }
                    }

                    break;
                case TermMode.Prefix:
                    if (!atWordStart)
                    {
                        return;
                    }

                    end = WordEnd(text, end); // report the whole word: "поставками"
                    break;
                case TermMode.Forms:
                    if (!atWordStart || !FormsFollow(text, start, term, out end))
                    {
                        return;
                    }

                    break;
                default:
                    var wordEnd = WordEnd(text, end);
                    var particles = Morphology.IsKoreanParticle(text[end..wordEnd]);
                    if ((!atWordStart && !(term.Compound && particles)) || (term.ParticlesOnly && !particles))
                    {
                        return;
                    }

                    end = wordEnd; // "북한이", "자폭드론을"
                    break;
            }

            if (Count == Candidates.Length)
            {
                var grown = ArrayPool<Candidate>.Shared.Rent(Math.Max(Math.Max(16, Expected), Count * 2));
                Candidates.AsSpan(0, Count).CopyTo(grown);
                Return();
                Candidates = grown;
            }

            Candidates[Count++] = new Candidate(Ids[keyId], _field, start, end);
            if (term.Info.Kind is HitKind.Entity or HitKind.Topic)
            {
                Substantive++;
            }
        }

        public readonly void Return()
        {
            if (Candidates.Length > 0)
            {
                ArrayPool<Candidate>.Shared.Return(Candidates);
            }
        }

        /// <summary>Walks back from <paramref name="end"/> over <paramref name="key"/> as the automaton read it.</summary>
        private static int StartOf(ReadOnlySpan<char> text, int end, string key)
        {
            var fold = TextFolder.Fold;
            var i = end - 1;
            for (var k = key.Length - 1; k >= 0; k--)
            {
                if (key[k] == ' ')
                {
                    while (i >= 0 && fold[text[i]] is ' ' or TextFolder.Ignored)
                    {
                        i--;
                    }
                }
                else
                {
                    while (i > 0 && fold[text[i]] == TextFolder.Ignored)
                    {
                        i--;
                    }

                    i--;
                }
            }

            return i + 1;
        }

        private static bool AfterVerbPrefix(ReadOnlySpan<char> text, int start)
        {
            var wordStart = start;
            while (wordStart > 0 && TextFolder.IsWord(text[wordStart - 1]) && start - wordStart < 4)
            {
                wordStart--;
            }

            if (wordStart > 0 && TextFolder.IsWord(text[wordStart - 1]))
            {
                return false;
            }

            var room = default(WordBuffer);
            Span<char> prefix = ((Span<char>)room)[..4];
            var n = 0;
            foreach (var c in text[wordStart..start])
            {
                var f = TextFolder.Fold[c];
                if (f != TextFolder.Ignored)
                {
                    prefix[n++] = f;
                }
            }

            return Morphology.IsPersianVerbPrefix(prefix[..n]);
        }

        private static int WordEnd(ReadOnlySpan<char> text, int i)
        {
            while (i < text.Length && TextFolder.IsWord(text[i]))
            {
                i++;
            }

            return i;
        }

        /// <summary>True when the words from <paramref name="start"/> are forms of the alias's words, one by one.</summary>
        private static bool FormsFollow(ReadOnlySpan<char> text, int start, Term term, out int end)
        {
            var room = default(WordBuffer);
            Span<char> word = room;
            var fold = TextFolder.Fold;
            var pos = start;
            end = start;
            for (var w = 0; w < term.Words.Length; w++)
            {
                if (w > 0)
                {
                    var gap = pos;
                    while (pos < text.Length && !TextFolder.IsWord(text[pos]))
                    {
                        pos++;
                    }

                    if (pos == gap || pos == text.Length)
                    {
                        return false;
                    }
                }

                var n = 0;
                var i = pos;
                for (; i < text.Length && TextFolder.IsWord(text[i]); i++)
                {
                    var f = fold[text[i]];
                    if (f == TextFolder.Ignored)
                    {
                        continue;
                    }

                    if (n == MaxWordChars)
                    {
                        return false;
                    }

                    word[n++] = f;
                }

                if (!Morphology.IsForm(term.Words[w], word[..n], term.Script))
                {
                    return false;
                }

                pos = end = i;
            }

            return true;
        }
    }
}

/// <summary>What one compiled alias stands for.</summary>
internal sealed record TermInfo(HitKind Kind, int Group, string GroupName)
{
    /// <summary>The gazetteer entry the alias names, or null for a watchlist alias.</summary>
    public GazetteerEntry? Entry { get; init; }

    /// <summary>The topic group a gazetteer entry implies, or -1.</summary>
    public int TopicGroup { get; init; } = -1;

    /// <summary>A thing a country makes (a gazetteer weapon or crude grade), which others receive or fire.</summary>
    public bool Product { get; init; }

    public LinkSort Link { get; init; }

    /// <summary>The watched country whose design this is when another makes it (Geran-2: Iran's Shahed-136 made in Russia), or -1.</summary>
    public int OriginGroup { get; init; } = -1;

    /// <summary>A news outlet (KCNA, TASS, IRNA): it names its country as a source, never as a party to a dealing.</summary>
    public bool Media { get; init; }

    /// <summary>A context alias: it counts only where its group is named otherwise.</summary>
    public bool Contextual { get; init; }

    /// <summary>A theatre of the group's war (Ukraine for Russia): it counts only beside another country's known weapon.</summary>
    public bool Theatre { get; init; }

    /// <summary>An official or other person: one who arrives somewhere visits, and delivers nothing.</summary>
    public bool Person { get; init; }

    /// <summary>A gazetteer company (Lukoil, NIOC): at work on another country's field or project, it deals in its goods.</summary>
    public bool Company { get; init; }

    /// <summary>For a theatre: the topic group of what is fired there (arms), or -1 for any goods.</summary>
    public int FiresGroup { get; init; } = -1;

    /// <summary>How the gazetteer entry explains a hit ("Su-35 → Russian fighter → Russia, arms"), made once.</summary>
    public string? Via => field ??= Entry?.Explain();
}

/// <summary>What a word of dealing says about the parties around it.</summary>
internal enum LinkSort
{
    None,

    /// <summary>One party gives, the other gets (supply, send, buy, receive).</summary>
    Transfer,

    /// <summary>Parties named together agree (deal, pact, swap).</summary>
    Agreement,

    /// <summary>One party uses what another makes (fired, launched).</summary>
    Use,
}

/// <summary>A hit kept for the result, with what the scorer needs to know about it.</summary>
internal readonly record struct Located(ItemField Field, int Start, int End, TermInfo Info, Script Script, Hit Hit);
