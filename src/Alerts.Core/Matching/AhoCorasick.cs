using System.Buffers;

namespace Alerts.Core.Matching;

/// <summary>
/// One pass over the original text finds every key in Cyrillic, Arabic, Hangul or other non-ASCII
/// script at once (Aho–Corasick), reading characters through <see cref="TextFolder"/>'s table instead
/// of a folded copy. It only wakes up at characters that can start one of its keys (a vectorised
/// search), so one Hangul alias never slows down English text. Keys may start inside words: Korean
/// compounds (자폭드론). Immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// A run of separators reads as one space, so "Северная  Корея" meets the key "северная корея" without
/// the text being rewritten. A reported end is an index in the original text; the caller walks back
/// over the key to find the start.
/// </remarks>
internal sealed class AhoCorasick
{
    private readonly Dictionary<char, int>[] _children;  // goto function
    private readonly int[] _fail;
    private readonly SearchValues<char> _starts;         // original characters that can start a key
    private readonly SearchValues<char>[] _scriptRanges; // the scripts of the keys, as a few contiguous ranges
    private readonly bool _asciiStarts;                  // some key starts with an ASCII letter or digit
    private readonly int[] _outputStart;
    private readonly int[] _outputCount;
    private readonly int[] _outputs;

    public int StateCount { get; }

    /// <param name="keys">Folded keys (<see cref="TextFolder.FoldAlias"/>); the index of a key in this list is its id.</param>
    public AhoCorasick(IReadOnlyList<string> keys)
    {
        var trie = new KeyTrie(keys);
        StateCount = trie.Count;
        _outputStart = trie.OutputStart;
        _outputCount = trie.OutputCount;
        _outputs = trie.Outputs;
        var kids = trie.Children;
        var fail = trie.Fail;
        _children = kids;
        _fail = fail;
        var first = kids[0].Keys.ToHashSet();
        var starts = new List<char>();
        for (var c = 1; c <= char.MaxValue; c++)
        {
            if (first.Contains(TextFolder.Fold[c]))
            {
                starts.Add((char)c);
            }
        }

        _starts = SearchValues.Create([.. starts]);

        // English text has curly quotes and dashes, so "any non-ASCII character" is no test; ranges of the
        // scripts the keys are written in (Cyrillic and Arabic, Hangul and hanja) are, and searching them
        // is vectorised. Text without any such letter cannot hold a key: the scan is skipped.
        var letters = new SortedSet<char>();
        foreach (var key in keys)
        {
            foreach (var k in key)
            {
                if (k >= 128)
                {
                    letters.Add(k);
                }
            }
        }

        var ranges = new List<(char Lo, char Hi)>();
        for (var c = 128; c <= char.MaxValue; c++)
        {
            if (!letters.Contains(TextFolder.Fold[c]))
            {
                continue;
            }

            if (ranges.Count > 0 && c - ranges[^1].Hi <= 8192)
            {
                ranges[^1] = (ranges[^1].Lo, (char)c);
            }
            else
            {
                ranges.Add(((char)c, (char)c));
            }
        }

        _scriptRanges = [.. ranges.Select(r => SearchValues.Create(RangeOf(r.Lo, r.Hi)))];

        // A key may begin with ASCII ("t 90 전차", "9м723"): then the scan starts at the text's start.
        _asciiStarts = starts.Exists(c => c < 128);
    }

    /// <summary>The first index where a key could start, or -1: vectorised looks before any scanning.</summary>
    private int FirstStart(ReadOnlySpan<char> text)
    {
        var first = -1;
        foreach (var range in _scriptRanges)
        {
            var at = (first < 0 ? text : text[..first]).IndexOfAny(range);
            if (at >= 0)
            {
                first = at;
            }
        }

        return first < 0 ? -1 : _asciiStarts ? 0 : first;
    }

    private static char[] RangeOf(char lo, char hi) => [.. Enumerable.Range(lo, hi - lo + 1).Select(c => (char)c)];

    /// <summary>Tells <paramref name="sink"/> (key id, end index exclusive, in <paramref name="text"/>) for every occurrence.</summary>
    public void Scan<TSink>(ReadOnlySpan<char> text, ref TSink sink)
        where TSink : struct, IMatchSink, allows ref struct
    {
        var begin = FirstStart(text);
        if (begin < 0)
        {
            return;
        }

        var fold = TextFolder.Fold;
        var state = 0;
        var afterSpace = false;
        for (var i = begin; i < text.Length; i++)
        {
            if (state == 0)
            {
                // Text between the words that can start a key (English between Persian words, Russian
                // words that start no alias) is skipped vectorised.
                var skip = text[i..].IndexOfAny(_starts);
                if (skip < 0)
                {
                    return;
                }

                i += skip;
                afterSpace = false;
            }

            var c = fold[text[i]];
            if (c == TextFolder.Ignored)
            {
                continue;
            }

            if (c == ' ')
            {
                if (afterSpace)
                {
                    continue;
                }

                afterSpace = true;
            }
            else
            {
                afterSpace = false;
            }

            int next;
            while (!_children[state].TryGetValue(c, out next) && state != 0)
            {
                state = _fail[state];
            }

            state = _children[state].TryGetValue(c, out next) ? next : 0;
            if (_outputCount[state] != 0)
            {
                Emit(state, i + 1, ref sink);
            }
        }
    }

    private void Emit<TSink>(int state, int end, ref TSink sink)
        where TSink : struct, IMatchSink, allows ref struct
    {
        var start = _outputStart[state];
        var count = _outputCount[state];
        for (var k = 0; k < count; k++)
        {
            sink.OnMatch(_outputs[start + k], end, 0, int.MaxValue);
        }
    }
}

internal interface IMatchSink
{
    /// <summary>A key ends at <paramref name="end"/>; it counts only if it starts in [<paramref name="minStart"/>, <paramref name="maxStart"/>).</summary>
    void OnMatch(int keyId, int end, int minStart, int maxStart);
}
