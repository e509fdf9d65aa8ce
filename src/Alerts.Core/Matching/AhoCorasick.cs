using System.Buffers;

namespace Alerts.Core.Matching;

/// <summary>
/// One pass over the original text finds every key at once (Aho–Corasick), reading characters
/// through <see cref="TextFolder"/>'s tables instead of a folded copy. ASCII keys run on a dense
/// transition table over a 39-symbol alphabet, so each character costs one array read; keys in
/// other scripts live in a separate sparse automaton that only wakes up at characters that can
/// start one of its keys, so one Hangul alias never slows down the English ones.
/// Immutable after construction and safe to share between threads.
/// </summary>
/// <remarks>
/// A run of separators reads as one space: the states a space leads to keep themselves on another
/// space (in the table, and by a flag in the sparse scan), so "North  Korea" and "North Korea" meet
/// the key "north korea" without the text being rewritten. A reported end is an index in the
/// original text; the caller walks back over the key to find the start.
/// </remarks>
internal sealed class AhoCorasick
{
    private const int Symbols = TextFolder.Symbols;
    private const int OutputFlag = int.MinValue;

    private readonly bool _dense;
    private readonly int[] _table = [];                       // dense: state * Symbols + symbol -> next * Symbols, | OutputFlag
    private readonly Dictionary<char, int>[] _children = [];  // sparse: goto function
    private readonly int[] _fail = [];
    private readonly SearchValues<char>? _starts;             // sparse: original characters that can start a key
    private readonly int[] _outputStart;
    private readonly int[] _outputCount;
    private readonly int[] _outputs;

    public int StateCount { get; }

    /// <param name="keys">Folded keys (<see cref="TextFolder.FoldAlias"/>); the index of a key in this list is its id.</param>
    /// <param name="dense">True when every key is ASCII.</param>
    public AhoCorasick(IReadOnlyList<string> keys, bool dense)
    {
        _dense = dense;

        // 1. Trie.
        var children = new List<Dictionary<char, int>> { new() };
        var keysAt = new List<List<int>?> { null };
        for (var id = 0; id < keys.Count; id++)
        {
            var state = 0;
            foreach (var c in keys[id])
            {
                if (!children[state].TryGetValue(c, out var next))
                {
                    next = children.Count;
                    children[state][c] = next;
                    children.Add([]);
                    keysAt.Add(null);
                }

                state = next;
            }

            (keysAt[state] ??= []).Add(id);
        }

        // 2. Renumber breadth-first: the shallow states that text keeps returning to sit together in memory.
        var count = children.Count;
        StateCount = count;
        var order = new int[count];    // new -> old
        var renumber = new int[count]; // old -> new
        var viaSpace = new bool[count];
        var head = 0;
        var tail = 1;
        while (head < tail)
        {
            var old = order[head];
            renumber[old] = head++;
            foreach (var (c, next) in children[old].OrderBy(p => p.Key))
            {
                viaSpace[next] = c == ' ';
                order[tail++] = next;
            }
        }

        var kids = new Dictionary<char, int>[count];
        for (var s = 0; s < count; s++)
        {
            var old = children[order[s]];
            var mapped = new Dictionary<char, int>(old.Count);
            foreach (var (c, next) in old)
            {
                mapped[c] = renumber[next];
            }

            kids[s] = mapped;
        }

        // 3. Failure links in breadth-first order; outputs merged along them.
        var fail = new int[count];
        var outputs = new int[count][];
        outputs[0] = [];
        for (var s = 0; s < count; s++)
        {
            foreach (var (c, next) in kids[s])
            {
                if (s == 0)
                {
                    fail[next] = 0;
                    continue;
                }

                var f = fail[s];
                int target;
                while (!kids[f].TryGetValue(c, out target) && f != 0)
                {
                    f = fail[f];
                }

                fail[next] = kids[f].TryGetValue(c, out target) && target != next ? target : 0;
            }

            if (s > 0)
            {
                var own = keysAt[order[s]];
                var inherited = outputs[fail[s]];
                outputs[s] = own is null ? inherited : [.. own, .. inherited];
            }
        }

        // 4. Flatten outputs.
        _outputStart = new int[count];
        _outputCount = new int[count];
        var flat = new List<int>();
        for (var s = 0; s < count; s++)
        {
            _outputStart[s] = flat.Count;
            _outputCount[s] = outputs[s].Length;
            flat.AddRange(outputs[s]);
        }

        _outputs = [.. flat];

        if (dense)
        {
            // 5. Full DFA table: every (state, symbol) resolved once here instead of per character.
            _table = new int[count * Symbols];
            var isViaSpace = new bool[count];
            for (var s = 0; s < count; s++)
            {
                isViaSpace[s] = viaSpace[order[s]];
            }

            for (var s = 0; s < count; s++)
            {
                for (var symbol = 0; symbol < Symbols; symbol++)
                {
                    int next;
                    if (symbol == TextFolder.IgnoredSymbol || (symbol == TextFolder.SpaceSymbol && (s == 0 || isViaSpace[s])))
                    {
                        next = s; // a soft hyphen changes nothing; a second separator neither
                    }
                    else if (SymbolChar(symbol) is var c && c != '\0' && kids[s].TryGetValue(c, out var child))
                    {
                        next = child;
                    }
                    else
                    {
                        next = s == 0 ? 0 : _table[(fail[s] * Symbols) + symbol] & ~OutputFlag;
                        next /= Symbols;
                    }

                    var entering = next != s || symbol is not (TextFolder.IgnoredSymbol or TextFolder.SpaceSymbol);
                    _table[(s * Symbols) + symbol] = (next * Symbols) | (entering && _outputCount[next] != 0 ? OutputFlag : 0);
                }
            }
        }
        else
        {
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
        }
    }

    /// <summary>Tells <paramref name="sink"/> (key id, end index exclusive, in <paramref name="text"/>) for every occurrence.</summary>
    public void Scan<TSink>(ReadOnlySpan<char> text, ref TSink sink)
        where TSink : struct, IMatchSink, allows ref struct
    {
        if (_dense)
        {
            ScanDense(text, ref sink);
        }
        else
        {
            ScanSparse(text, ref sink);
        }
    }

    private void ScanDense<TSink>(ReadOnlySpan<char> text, ref TSink sink)
        where TSink : struct, IMatchSink, allows ref struct
    {
        var table = _table;
        var symbols = TextFolder.Symbol;
        var state = 0; // premultiplied by Symbols
        for (var i = 0; i < text.Length; i++)
        {
            var entry = table[state + symbols[text[i]]];
            state = entry & ~OutputFlag;
            if (entry < 0)
            {
                Emit(state / Symbols, i + 1, ref sink);
            }
        }
    }

    private void ScanSparse<TSink>(ReadOnlySpan<char> text, ref TSink sink)
        where TSink : struct, IMatchSink, allows ref struct
    {
        var fold = TextFolder.Fold;
        var state = 0;
        var afterSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (state == 0)
            {
                // Text between the words that can start a key (English between Persian words, Russian
                // words that start no alias) is skipped vectorised.
                var skip = text[i..].IndexOfAny(_starts!);
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
            sink.OnMatch(_outputs[start + k], end);
        }
    }

    private static char SymbolChar(int symbol) => symbol switch
    {
        TextFolder.SpaceSymbol => ' ',
        >= 1 and <= 26 => (char)('a' + symbol - 1),
        >= 27 and <= 36 => (char)('0' + symbol - 27),
        _ => '\0',
    };
}

internal interface IMatchSink
{
    void OnMatch(int keyId, int end);
}
