namespace Alerts.Core.Matching;

/// <summary>
/// One pass over folded text finds every alias at once (Aho–Corasick). ASCII aliases run on a
/// dense transition table over a 38-symbol alphabet, so each character costs one array read;
/// aliases in other scripts live in a separate sparse automaton that only runs on text that has
/// non-ASCII letters, so one Hangul alias never slows down the English ones.
/// Immutable after construction and safe to share between threads.
/// </summary>
internal sealed class AhoCorasick
{
    private const int Symbols = 38; // space, a-z, 0-9, "anything else"
    private const int Other = 37;

    private readonly bool _dense;
    private readonly int[] _table = [];                       // dense: state * Symbols + symbol -> state
    private readonly Dictionary<char, int>[] _children = [];  // sparse: goto function
    private readonly int[] _fail = [];
    private readonly int[] _outputStart;
    private readonly int[] _outputCount;
    private readonly int[] _outputs;
    private readonly bool _rootNeedsNonAscii; // sparse: no term starts with an ASCII character

    /// <summary>Folded character → symbol of the dense alphabet, one table read instead of branches.</summary>
    private static readonly byte[] SymbolOf = BuildSymbolTable();

    public int StateCount { get; }

    /// <param name="terms">Folded terms; the index of a term in this list is its id.</param>
    /// <param name="dense">True when every term is ASCII.</param>
    public AhoCorasick(IReadOnlyList<string> terms, bool dense)
    {
        _dense = dense;

        // 1. Trie.
        var children = new List<Dictionary<char, int>> { new() };
        var termsAt = new List<List<int>?> { null };
        for (var id = 0; id < terms.Count; id++)
        {
            var state = 0;
            foreach (var c in terms[id])
            {
                if (!children[state].TryGetValue(c, out var next))
                {
                    next = children.Count;
                    children[state][c] = next;
                    children.Add([]);
                    termsAt.Add(null);
                }

                state = next;
            }

            (termsAt[state] ??= []).Add(id);
        }

        StateCount = children.Count;

        // 2. Failure links breadth-first; outputs merged along them.
        var fail = new int[StateCount];
        var outputs = new List<int>[StateCount];
        outputs[0] = [];
        var queue = new Queue<int>();
        foreach (var (_, s) in children[0])
        {
            fail[s] = 0;
            queue.Enqueue(s);
        }

        var order = new List<int>(StateCount) { 0 };
        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            order.Add(state);
            foreach (var (c, next) in children[state])
            {
                var f = fail[state];
                int target;
                while (!children[f].TryGetValue(c, out target) && f != 0)
                {
                    f = fail[f];
                }

                fail[next] = next != target && children[f].ContainsKey(c) ? target : 0;
                queue.Enqueue(next);
            }
        }

        foreach (var state in order)
        {
            var own = termsAt[state];
            var inherited = state == 0 ? [] : outputs[fail[state]];
            outputs[state] = own is null ? inherited : [.. own, .. inherited];
        }

        // 3. Flatten outputs.
        _outputStart = new int[StateCount];
        _outputCount = new int[StateCount];
        var flat = new List<int>();
        for (var s = 0; s < StateCount; s++)
        {
            _outputStart[s] = flat.Count;
            _outputCount[s] = outputs[s].Count;
            flat.AddRange(outputs[s]);
        }

        _outputs = [.. flat];

        if (dense)
        {
            // 4. Full DFA table: every (state, symbol) resolved once here instead of per character.
            _table = new int[StateCount * Symbols];
            foreach (var state in order)
            {
                for (var symbol = 0; symbol < Symbols; symbol++)
                {
                    var c = SymbolChar(symbol);
                    int next;
                    if (c != '\0' && children[state].TryGetValue(c, out var child))
                    {
                        next = child;
                    }
                    else
                    {
                        next = state == 0 ? 0 : _table[(fail[state] * Symbols) + symbol];
                    }

                    _table[(state * Symbols) + symbol] = next;
                }
            }
        }
        else
        {
            _children = [.. children];
            _fail = fail;
            _rootNeedsNonAscii = children[0].Keys.All(c => c >= 128);
        }
    }

    /// <summary>Tells <paramref name="sink"/> (term id, end index exclusive) for every occurrence.</summary>
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
        var counts = _outputCount;
        var state = 0;
        for (var i = 0; i < text.Length; i++)
        {
            state = table[(state * Symbols) + SymbolOf[text[i]]];
            if (counts[state] != 0)
            {
                Emit(state, i + 1, ref sink);
            }
        }
    }

    private void ScanSparse<TSink>(ReadOnlySpan<char> text, ref TSink sink)
        where TSink : struct, IMatchSink, allows ref struct
    {
        var state = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (state == 0 && _rootNeedsNonAscii)
            {
                // English text between Cyrillic, Persian or Hangul words cannot start a term: skip it vectorised.
                var skip = text[i..].IndexOfAnyExceptInRange('\0', '\u007F');
                if (skip < 0)
                {
                    return;
                }

                i += skip;
            }

            var c = text[i];
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

    private static byte[] BuildSymbolTable()
    {
        var table = new byte[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            table[c] = (byte)Symbol((char)c);
        }

        return table;
    }

    private static int Symbol(char c)
    {
        if ((uint)(c - 'a') <= 'z' - 'a')
        {
            return c - 'a' + 1;
        }

        if ((uint)(c - '0') <= 9)
        {
            return c - '0' + 27;
        }

        return c == ' ' ? 0 : Other;
    }

    private static char SymbolChar(int symbol) => symbol switch
    {
        0 => ' ',
        >= 1 and <= 26 => (char)('a' + symbol - 1),
        >= 27 and <= 36 => (char)('0' + symbol - 27),
        _ => '\0',
    };
}

internal interface IMatchSink
{
    void OnMatch(int termId, int end);
}
