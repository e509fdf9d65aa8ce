using System.Buffers;
using System.Numerics;

namespace Alerts.Core.Matching;

/// <summary>
/// A watchlist compiled once into one-pass automata, reused for every item and safe to share
/// between threads. An item with no hit costs no allocation at all.
/// </summary>
public sealed class WatchlistMatcher
{
    private const int MaxGroups = 64; // group sets are 64-bit masks
    private const int EvidenceMaxChars = 400;

    private readonly Term[] _terms;
    private readonly AhoCorasick? _ascii;
    private readonly int[] _asciiIds = [];
    private readonly AhoCorasick? _other;
    private readonly int[] _otherIds = [];
    private readonly MatchResult _noHits;

    private WatchlistMatcher(Watchlist watchlist, Term[] terms)
    {
        Watchlist = watchlist;
        _terms = terms;
        _noHits = MatchResult.NoHits(watchlist.Name);

        var ascii = new List<int>();
        var other = new List<int>();
        for (var i = 0; i < terms.Length; i++)
        {
            (terms[i].Ascii ? ascii : other).Add(i);
        }

        if (ascii.Count > 0)
        {
            _asciiIds = [.. ascii];
            _ascii = new AhoCorasick([.. ascii.Select(i => terms[i].Folded)], dense: true);
        }

        if (other.Count > 0)
        {
            _otherIds = [.. other];
            _other = new AhoCorasick([.. other.Select(i => terms[i].Folded)], dense: false);
        }
    }

    public Watchlist Watchlist { get; }

    /// <summary>Number of aliases, topic terms, links and exclusions compiled.</summary>
    public int TermCount => _terms.Length;

    /// <summary>Validates and compiles a watchlist.</summary>
    /// <exception cref="WatchlistException">The watchlist is invalid; the message names the field.</exception>
    public static WatchlistMatcher Compile(Watchlist watchlist)
    {
        WatchlistValidator.Validate(watchlist);
        var terms = new List<Term>();
        // One set of (folded, kind, group) makes de-duplication linear: a list scan made 200,000 aliases take minutes.
        var seen = new HashSet<(string Folded, HitKind Kind, int Group)>();
        for (var g = 0; g < watchlist.Entities.Count; g++)
        {
            AddTerms(terms, seen, watchlist.Entities[g].Aliases, HitKind.Entity, g, watchlist.Entities[g].Name);
        }

        for (var g = 0; g < watchlist.Topics.Count; g++)
        {
            AddTerms(terms, seen, watchlist.Topics[g].Aliases, HitKind.Topic, g, watchlist.Topics[g].Name);
        }

        AddTerms(terms, seen, watchlist.Links, HitKind.Link, 0, "link");
        AddTerms(terms, seen, watchlist.ThirdParties, HitKind.ThirdParty, 0, "third party");
        AddTerms(terms, seen, watchlist.Exclusions, Term.Exclusion, 0, "exclusion");
        return new WatchlistMatcher(watchlist, [.. terms]);
    }

    private static void AddTerms(List<Term> terms, HashSet<(string, HitKind, int)> seen, List<string> aliases, HitKind kind, int group, string groupName)
    {
        foreach (var alias in aliases)
        {
            var prefix = alias.EndsWith('*');
            var folded = TextFolder.FoldTerm(prefix ? alias[..^1] : alias);
            if (folded.Length == 0)
            {
                continue;
            }

            if (!seen.Add((folded, kind, group)))
            {
                continue; // "Kim Jong Un" and "Kim Jong-un" fold alike: one term, the first spelling reported
            }

            var ascii = folded.All(char.IsAscii);
            // Korean particles and Persian suffixes (-ها, -های, -ی) attach to the noun, so aliases in
            // Hangul or Arabic script match the start of a word.
            prefix |= folded.Any(c => c is >= '\uAC00' and <= '\uD7A3' or >= '\u0600' and <= '\u06FF');
            terms.Add(new Term(alias, folded, kind, group, groupName, prefix, ascii));
        }
    }

    /// <summary>Matches one item.</summary>
    public MatchResult Match(in MatchInput input)
    {
        var longest = Math.Max(input.Title?.Length ?? 0, Math.Max(input.Summary?.Length ?? 0, input.Content?.Length ?? 0));
        if (longest == 0)
        {
            return _noHits;
        }

        var folded = ArrayPool<char>.Shared.Rent(longest);
        var origin = ArrayPool<int>.Shared.Rent(longest);
        var sink = new CandidateSink(this, folded, origin);
        try
        {
            ScanField(input.Title, ItemField.Title, ref sink);
            ScanField(input.Summary, ItemField.Summary, ref sink);
            ScanField(input.Content, ItemField.Content, ref sink);
            // Words of dealing and third parties alone explain nothing: no entity or topic, no result to build.
            return sink.Substantive == 0 ? _noHits : Explain(input, sink.Candidates.AsSpan(0, sink.Count));
        }
        finally
        {
            sink.Return();
            ArrayPool<char>.Shared.Return(folded);
            ArrayPool<int>.Shared.Return(origin);
        }
    }

    private void ScanField(string? text, ItemField field, ref CandidateSink sink)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var n = TextFolder.Fold(text, sink.Folded, sink.Origin, out var hasNonAscii);
        sink.BeginField(field, n);
        var span = sink.Folded.AsSpan(0, n);
        if (_ascii is not null)
        {
            sink.Ids = _asciiIds;
            _ascii.Scan(span, ref sink);
        }

        if (hasNonAscii && _other is not null)
        {
            sink.Ids = _otherIds;
            _other.Scan(span, ref sink);
        }
    }

    private MatchResult Explain(in MatchInput input, Span<Candidate> candidates)
    {
        // By field, then start, longest first, exclusions first among equal spans: anything a candidate
        // contains comes after it, so each needs comparing only with the candidates that start inside it.
        candidates.Sort(new CandidateOrder(_terms));

        // Exclusions ("South Korea", "olive oil") and shorter hits inside longer ones of the same kind are dropped.
        var keep = new bool[candidates.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            ref readonly var c = ref candidates[i];
            keep[i] = _terms[c.Term].Kind != Term.Exclusion;
        }

        for (var i = 0; i < candidates.Length; i++)
        {
            ref readonly var outer = ref candidates[i];
            var outerKind = _terms[outer.Term].Kind;
            for (var j = i + 1; j < candidates.Length && candidates[j].Field == outer.Field && candidates[j].Start < outer.End; j++)
            {
                ref readonly var inner = ref candidates[j];
                if (!keep[j] || inner.End > outer.End)
                {
                    continue;
                }

                // Inside an exclusion ("South Korea", "olive oil"): gone. Inside a longer (or the same) hit of its kind: gone.
                if (outerKind == Term.Exclusion || (keep[i] && outerKind == _terms[inner.Term].Kind))
                {
                    keep[j] = false;
                }
            }
        }

        var hits = new List<Hit>();
        var located = new List<(Candidate Candidate, Hit Hit)>();
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
            var hit = new Hit(text[c.Start..c.End], term.Alias, term.GroupName, term.Kind, c.Field, c.Start, c.End - c.Start);
            hits.Add(hit);
            located.Add((c, hit));
            if (term.Kind == HitKind.Entity)
            {
                entityMask |= 1UL << term.Group;
            }
            else if (term.Kind == HitKind.Topic)
            {
                topicMask |= 1UL << term.Group;
            }
        }

        var rule = Watchlist.Rule;
        var entities = GroupNames(Watchlist.Entities, entityMask);
        var topics = GroupNames(Watchlist.Topics, topicMask);
        var documentOk = BitOperations.PopCount(entityMask) >= rule.MinEntityGroups && BitOperations.PopCount(topicMask) >= rule.MinTopicGroups;
        if (hits.Count == 0)
        {
            return _noHits;
        }

        if (!documentOk)
        {
            var reason = $"needs {rule.MinEntityGroups} entity group(s) and {rule.MinTopicGroups} topic group(s); found {entities.Count} ({string.Join(", ", entities)}) and {topics.Count} ({string.Join(", ", topics)})";
            return new MatchResult(Watchlist.Name, false, 0, entities, topics, hits, FirstEvidence(input, located), reason);
        }

        return Score(input, located, entities, topics);
    }

    /// <summary>
    /// Scores who deals with whom. Strong evidence is a sentence naming two watched parties and a topic
    /// joined by a word of dealing (supply, ship, deliver, buy); the same without such a word, or spread
    /// over three consecutive sentences, weighs less; a word of dealing right beside a third party
    /// ("sales to China") does not count for the watched ones. The title adds a little.
    /// </summary>
    private MatchResult Score(in MatchInput input, List<(Candidate Candidate, Hit Hit)> located, IReadOnlyList<string> entities, IReadOnlyList<string> topics)
    {
        const int ThirdPartyReach = 25; // characters between a word of dealing and a third party that claim it

        var rule = Watchlist.Rule;
        var sentences = new List<SentenceFacts>();
        for (var k = 0; k < located.Count; k++)
        {
            var c = located[k].Candidate;
            var term = _terms[c.Term];
            var text = FieldText(input, c.Field);
            if (sentences.Count == 0 || sentences[^1].Field != c.Field || c.Start >= sentences[^1].End)
            {
                // Walk forward to the sentence holding this hit; numbering continues within a field.
                int start, index;
                if (sentences.Count > 0 && sentences[^1].Field == c.Field)
                {
                    start = sentences[^1].End;
                    index = sentences[^1].Index + 1;
                }
                else
                {
                    start = 0;
                    index = 0;
                }

                var end = c.Field == ItemField.Title ? text.Length : Sentences.EndOf(text, start);
                while (end <= c.Start)
                {
                    start = end;
                    index++;
                    end = Sentences.EndOf(text, start);
                }

                sentences.Add(new SentenceFacts(c.Field, index, start, end));
            }

            var facts = sentences[^1];
            switch (term.Kind)
            {
                case HitKind.Entity: facts.Entities |= 1UL << term.Group; break;
                case HitKind.Topic: facts.Topics |= 1UL << term.Group; break;
                case HitKind.Link when !NearThirdParty(located, k, ThirdPartyReach): facts.Links++; break;
            }
        }

        bool Enough(ulong e, ulong t) => BitOperations.PopCount(e) >= rule.MinEntityGroups && BitOperations.PopCount(t) >= rule.MinTopicGroups;

        double sentenceScore = 0, windowScore = 0;
        int strongSentences = 0, windows = 0, dealings = 0;
        SentenceFacts? best = null;
        var bestWeight = -1.0;
        for (var i = 0; i < sentences.Count; i++)
        {
            var s = sentences[i];
            double weight;
            if (Enough(s.Entities, s.Topics))
            {
                weight = s.Links > 0 ? 3 : 0.75;
                dealings += s.Links > 0 ? 1 : 0;
                if (strongSentences++ < 3)
                {
                    sentenceScore += weight;
                }

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

                weight = Enough(e, t) ? (links > 0 ? 1.5 : 0.5) : 0;
                if (weight > 0 && windows++ < 3)
                {
                    windowScore += weight;
                }

                weight += BitOperations.PopCount(s.Entities) + (BitOperations.PopCount(s.Topics) * 0.5) + (s.Links > 0 ? 0.25 : 0);
            }

            if (weight > bestWeight)
            {
                bestWeight = weight;
                best = s;
            }
        }

        var title = sentences.FirstOrDefault(s => s.Field == ItemField.Title);
        var titleScore = title is not null && title.Entities != 0 && title.Topics != 0 && title.Links > 0 ? 0.5 : 0;
        var score = Math.Round(1 + sentenceScore + windowScore + titleScore, 2);
        var scopeOk = rule.Scope switch
        {
            MatchScope.Sentence => strongSentences > 0,
            MatchScope.Window => strongSentences > 0 || windows > 0,
            _ => true,
        };
        var matched = scopeOk && score >= rule.MinScore;
        var together = $"{strongSentences} sentence(s) name both ({dealings} with a word of dealing), {windows} nearby passage(s)";
        var reason = matched
            ? $"{string.Join(" + ", entities)} with {string.Join(" + ", topics)}: {together}"
            : !scopeOk
                ? $"entities and topics are not within one {rule.Scope.ToString().ToLowerInvariant()}"
                : $"score {score} is below {rule.MinScore}: no dealing between the parties is described ({together})";
        return new MatchResult(Watchlist.Name, matched, score, entities, topics, located.ConvertAll(l => l.Hit), MakeEvidence(input, best!, located), reason);
    }

    /// <summary>Consecutive sentences of one field; the title also runs on into the first sentence of the summary or content.</summary>
    private static bool Adjacent(SentenceFacts a, SentenceFacts b)
    {
        if (a.Field == b.Field)
        {
            return Math.Abs(a.Index - b.Index) == 1;
        }

        var (title, other) = a.Field == ItemField.Title ? (a, b) : (b, a);
        return title.Field == ItemField.Title && other.Index == 0;
    }

    /// <summary>True when a third party stands within <paramref name="reach"/> characters of the word of dealing at <paramref name="k"/>.</summary>
    private bool NearThirdParty(List<(Candidate Candidate, Hit Hit)> located, int k, int reach)
    {
        var link = located[k].Candidate;
        for (var j = k - 1; j >= 0 && located[j].Candidate.Field == link.Field && link.Start - located[j].Candidate.End <= reach; j--)
        {
            if (_terms[located[j].Candidate.Term].Kind == HitKind.ThirdParty)
            {
                return true;
            }
        }

        for (var j = k + 1; j < located.Count && located[j].Candidate.Field == link.Field && located[j].Candidate.Start - link.End <= reach; j++)
        {
            if (_terms[located[j].Candidate.Term].Kind == HitKind.ThirdParty)
            {
                return true;
            }
        }

        return false;
    }

    private static Evidence? FirstEvidence(in MatchInput input, List<(Candidate Candidate, Hit Hit)> located)
    {
        if (located.Count == 0)
        {
            return null;
        }

        var first = located[0].Candidate;
        var text = FieldText(input, first.Field);
        var start = 0;
        var end = first.Field == ItemField.Title ? text.Length : Sentences.EndOf(text, 0);
        while (end <= first.Start)
        {
            start = end;
            end = Sentences.EndOf(text, start);
        }

        return MakeEvidence(input, new SentenceFacts(first.Field, 0, start, end), located);
    }

    private static Evidence MakeEvidence(in MatchInput input, SentenceFacts sentence, List<(Candidate Candidate, Hit Hit)> located)
    {
        var text = FieldText(input, sentence.Field);
        var (start, end) = Sentences.Trim(text, sentence.Start, sentence.End);
        if (end - start > EvidenceMaxChars)
        {
            // Keep the window around the first hit in an overlong "sentence" (lists, tables without stops).
            var firstHit = located.First(l => l.Candidate.Field == sentence.Field && l.Candidate.Start >= start).Candidate.Start;
            start = Math.Max(start, firstHit - (EvidenceMaxChars / 4));
            end = Math.Min(end, start + EvidenceMaxChars);
        }

        var highlights = new List<Highlight>();
        foreach (var (c, _) in located)
        {
            if (c.Field == sentence.Field && c.Start >= start && c.End <= end)
            {
                highlights.Add(new Highlight(c.Start - start, c.End - c.Start));
            }
        }

        return new Evidence(sentence.Field, text[start..end], highlights);
    }

    private static string FieldText(in MatchInput input, ItemField field) => field switch
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

    private sealed record Term(string Alias, string Folded, HitKind Kind, int Group, string GroupName, bool Prefix, bool Ascii)
    {
        /// <summary>Exclusions share the automaton with hits; this kind never reaches a result.</summary>
        public const HitKind Exclusion = (HitKind)99;
    }

    private sealed class SentenceFacts(ItemField field, int index, int start, int end)
    {
        public ItemField Field { get; } = field;
        public int Index { get; } = index;
        public int Start { get; } = start;
        public int End { get; } = end;
        public ulong Entities { get; set; }
        public ulong Topics { get; set; }
        public int Links { get; set; }
    }

    private record struct Candidate(int Term, ItemField Field, int Start, int End);

    private readonly struct CandidateOrder(Term[] terms) : IComparer<Candidate>
    {
        public int Compare(Candidate a, Candidate b) =>
            a.Field != b.Field ? a.Field.CompareTo(b.Field)
            : a.Start != b.Start ? a.Start.CompareTo(b.Start)
            : a.End != b.End ? b.End.CompareTo(a.End)
            : (terms[b.Term].Kind == Term.Exclusion).CompareTo(terms[a.Term].Kind == Term.Exclusion);
    }

    /// <summary>Receives raw automaton output, keeps whole-word occurrences and maps them back to the original text.</summary>
    private struct CandidateSink(WatchlistMatcher matcher, char[] folded, int[] origin) : IMatchSink
    {
        private ItemField _field;
        private int _length;

        public char[] Folded { get; } = folded;
        public int[] Origin { get; } = origin;
        public int[] Ids { get; set; } = [];
        public Candidate[] Candidates { get; private set; } = [];
        public int Count { get; private set; }

        /// <summary>Entity and topic candidates: the ones that can make a result.</summary>
        public int Substantive { get; private set; }

        public void BeginField(ItemField field, int length)
        {
            _field = field;
            _length = length;
        }

        public void OnMatch(int termId, int end)
        {
            var term = matcher._terms[Ids[termId]];
            var start = end - term.Folded.Length;
            if (start > 0 && Folded[start - 1] != ' ')
            {
                return; // "oil" in "turmoil", "arms" in "farms"
            }

            if (term.Prefix)
            {
                while (end < _length && Folded[end] != ' ')
                {
                    end++; // report the whole word: "России", "북한이"
                }
            }
            else if (end < _length && Folded[end] != ' ')
            {
                // Plurals of English words: "missiles", "tankers", "Iranians", "launches".
                if (term.Ascii && Folded[end] == 's' && (end + 1 == _length || Folded[end + 1] == ' '))
                {
                    end += 1;
                }
                else if (term.Ascii && Folded[end] == 'e' && end + 1 < _length && Folded[end + 1] == 's' && (end + 2 == _length || Folded[end + 2] == ' '))
                {
                    end += 2;
                }
                else
                {
                    return;
                }
            }

            if (Count == Candidates.Length)
            {
                var grown = ArrayPool<Candidate>.Shared.Rent(Math.Max(16, Count * 2));
                Candidates.AsSpan(0, Count).CopyTo(grown);
                Return();
                Candidates = grown;
            }

            Candidates[Count++] = new Candidate(Ids[termId], _field, Origin[start], Origin[end - 1] + 1);
            if (term.Kind is HitKind.Entity or HitKind.Topic)
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
    }
}
