using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Alerts.Core.Matching;

/// <summary>
/// Finds every ASCII key at once (Aho–Corasick as a full transition table over a 39-symbol alphabet:
/// space, a–z, 0–9, any other letter, ignored), reading the original characters through
/// <see cref="TextFolder.Symbol"/>, so each character costs two array reads and no copy of the text.
/// Immutable after construction and safe to share between threads.
/// </summary>
/// <remarks>
/// <para>Every key is stored after a space and the text is read as if a space came before it, so keys are
/// only found at word starts: "use" in "because" or "oil" in "turmoil" never reach the caller, which
/// would only throw them away. A run of separators reads as one space: a state entered by a space keeps
/// itself on another, and an ignored character (a soft hyphen) keeps every state, so "North  Korea" meets
/// "north korea".</para>
/// <para>Speed: one automaton's next state depends on the read before it, so one pass is bound by memory
/// latency rather than work. Long texts are cut in four quarters scanned in one loop, four independent
/// reads in flight: each quarter's automaton runs on past its end until it is back at a word start with
/// nothing under way, and reports only keys that start in its quarter. States are numbered breadth-first, so the first levels that
/// nearly every word visits sit together in memory even with 10,000 more aliases.</para>
/// </remarks>
internal sealed class DenseAutomaton
{
    private const int Symbols = TextFolder.Symbols;
    private const int OutputFlag = int.MinValue;
    private const int SplitAbove = 256; // shorter texts are scanned in one pass
    private const int Held = 128; // finds held back per quarter: a 4,000-character article has about 30

    [ThreadStatic]
    private static int[]? t_held;

    private readonly int[] _table; // state * Symbols + symbol -> next * Symbols, | OutputFlag when next has keys
    private readonly int[] _outputStart;
    private readonly int[] _outputCount;
    private readonly int[] _outputs;
    private readonly int _start; // the state after a space, premultiplied: where every word starts

    public int StateCount { get; }

    /// <param name="keys">Folded ASCII keys (<see cref="TextFolder.FoldAlias"/>); the index of a key in this list is its id.</param>
    public DenseAutomaton(IReadOnlyList<string> keys)
    {
        var trie = new KeyTrie(keys, prefix: " ");
        var count = trie.Count;
        StateCount = count;
        _outputStart = trie.OutputStart;
        _outputCount = trie.OutputCount;
        _outputs = trie.Outputs;
        var fail = trie.Fail;

        // Full table, row by row: a state moves as its failure state does, except where a key continues.
        //    Rows are copied in breadth-first order, so the failure row is always complete (no per-symbol look-ups).
        _table = new int[count * Symbols];
        for (var s = 0; s < count; s++)
        {
            var row = _table.AsSpan(s * Symbols, Symbols);
            if (s > 0)
            {
                _table.AsSpan(fail[s] * Symbols, Symbols).CopyTo(row);
            }

            foreach (var (c, next) in trie.Children[s])
            {
                row[TextFolder.Symbol[c]] = (next * Symbols) | (_outputCount[next] != 0 ? OutputFlag : 0);
            }

            row[TextFolder.IgnoredSymbol] = s * Symbols; // a soft hyphen changes nothing and enters nothing new
            if (trie.EnteredBy[s] == ' ')
            {
                row[TextFolder.SpaceSymbol] = s * Symbols;
            }
        }

        _start = _table[TextFolder.SpaceSymbol] & ~OutputFlag;
    }

    /// <summary>Tells <paramref name="sink"/> (key id, end index exclusive) for every occurrence in <paramref name="text"/>.</summary>
    public void Scan<TSink>(ReadOnlySpan<char> text, ref TSink sink)
        where TSink : struct, IMatchSink, allows ref struct
    {
        // Reads without bounds checks: a symbol index is a char (the symbol table has 65,536 entries) and a
        // table index is a state times Symbols plus a symbol, both made in the constructor.
        ref var table = ref MemoryMarshal.GetArrayDataReference(_table);
        ref var symbols = ref MemoryMarshal.GetArrayDataReference(TextFolder.Symbol);
        ref var chars = ref MemoryMarshal.GetReference(text);
        if (text.Length <= SplitAbove)
        {
            var state = _start;
            for (var i = 0; i < text.Length; i++)
            {
                var entry = Unsafe.Add(ref table, state + Unsafe.Add(ref symbols, Unsafe.Add(ref chars, i)));
                state = entry & ~OutputFlag;
                if (entry < 0)
                {
                    Emit(state, i + 1, 0, int.MaxValue, ref sink);
                }
            }

            return;
        }

        // Four quarters scanned in one loop; the last is the longest, so the others run a little past their ends.
        // What the last three find is held back and told after the first's, so the sink hears keys in text order
        // (and the caller's sort has nearly nothing to do); past the room held here it is told at once, out of order.
        // One buffer per thread, reused: a stackalloc here was zeroed on every long text, though most (feed items) have
        // nothing to hold; that cost about 7 % on the feed benchmark.
        Span<int> held = t_held ??= new int[3 * Held * 2];
        int hb = 0, hc = 0, hd = 0;
        var q = text.Length / 4;
        int c1 = q, c2 = 2 * q, c3 = 3 * q;
        int a = 0, b = c1, c = c2, d = c3;
        int sa = _start, sb = _start, sc = _start, sd = _start;
        while (d < text.Length)
        {
            var ea = Unsafe.Add(ref table, sa + Unsafe.Add(ref symbols, Unsafe.Add(ref chars, a)));
            var eb = Unsafe.Add(ref table, sb + Unsafe.Add(ref symbols, Unsafe.Add(ref chars, b)));
            var ec = Unsafe.Add(ref table, sc + Unsafe.Add(ref symbols, Unsafe.Add(ref chars, c)));
            var ed = Unsafe.Add(ref table, sd + Unsafe.Add(ref symbols, Unsafe.Add(ref chars, d)));
            sa = ea & ~OutputFlag;
            sb = eb & ~OutputFlag;
            sc = ec & ~OutputFlag;
            sd = ed & ~OutputFlag;
            a++;
            b++;
            c++;
            d++;
            if ((ea | eb | ec | ed) < 0)
            {
                if (ea < 0)
                {
                    Emit(sa, a, 0, c1, ref sink);
                }

                if (eb < 0)
                {
                    Hold(held, 0, ref hb, sb, b, c1, c2, ref sink);
                }

                if (ec < 0)
                {
                    Hold(held, 1, ref hc, sc, c, c2, c3, ref sink);
                }

                if (ed < 0)
                {
                    Hold(held, 2, ref hd, sd, d, c3, int.MaxValue, ref sink);
                }
            }
        }

        // Each of the first three runs on until nothing it started can still be under way.
        RunOn(text, a, sa, c1, ref sink);
        Release(held, 0, hb, c1, c2, ref sink);
        RunOn(text, b, sb, c2, ref sink);
        Release(held, 1, hc, c2, c3, ref sink);
        RunOn(text, c, sc, c3, ref sink);
        Release(held, 2, hd, c3, int.MaxValue, ref sink);
    }

    private void Hold<TSink>(scoped Span<int> held, int lane, ref int count, int state, int end, int minStart, int maxStart, ref TSink sink)
        where TSink : struct, IMatchSink, allows ref struct
    {
        if (count == Held)
        {
            Emit(state, end, minStart, maxStart, ref sink);
            return;
        }

        var at = ((lane * Held) + count) * 2;
        held[at] = state;
        held[at + 1] = end;
        count++;
    }

    private void Release<TSink>(scoped ReadOnlySpan<int> held, int lane, int count, int minStart, int maxStart, ref TSink sink)
        where TSink : struct, IMatchSink, allows ref struct
    {
        for (var k = 0; k < count; k++)
        {
            var at = ((lane * Held) + k) * 2;
            Emit(held[at], held[at + 1], minStart, maxStart, ref sink);
        }
    }

    private void RunOn<TSink>(ReadOnlySpan<char> text, int i, int state, int maxStart, ref TSink sink)
        where TSink : struct, IMatchSink, allows ref struct
    {
        for (; i < text.Length && state != 0 && state != _start; i++)
        {
            var entry = _table[state + TextFolder.Symbol[text[i]]];
            state = entry & ~OutputFlag;
            if (entry < 0)
            {
                Emit(state, i + 1, 0, maxStart, ref sink);
            }
        }
    }

    private void Emit<TSink>(int premultiplied, int end, int minStart, int maxStart, ref TSink sink)
        where TSink : struct, IMatchSink, allows ref struct
    {
        var state = premultiplied / Symbols;
        var start = _outputStart[state];
        var count = _outputCount[state];
        for (var k = 0; k < count; k++)
        {
            sink.OnMatch(_outputs[start + k], end, minStart, maxStart);
        }
    }
}
