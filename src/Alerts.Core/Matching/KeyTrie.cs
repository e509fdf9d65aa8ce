namespace Alerts.Core.Matching;

/// <summary>
/// What both automata are built from: a trie of the keys with its states numbered breadth-first (so
/// failure links always point to lower numbers, and the first levels that nearly every word visits sit
/// together in memory), the Aho–Corasick failure links, and each state's outputs — its own keys, then
/// those along its failure chain — flattened into one array.
/// </summary>
internal sealed class KeyTrie
{
    /// <param name="keys">Folded keys; the index of a key in this list is its id.</param>
    /// <param name="prefix">Put before every key (a space: keys then only start at word starts).</param>
    public KeyTrie(IReadOnlyList<string> keys, string prefix = "")
    {
        // 1. Trie, in insertion numbering.
        var children = new List<Dictionary<char, int>> { new() };
        var keysAt = new List<List<int>?> { null };
        var enteredBy = new List<char> { '\0' };
        for (var id = 0; id < keys.Count; id++)
        {
            var state = 0;
            foreach (var c in prefix + keys[id])
            {
                if (!children[state].TryGetValue(c, out var next))
                {
                    next = children.Count;
                    children[state][c] = next;
                    children.Add([]);
                    keysAt.Add(null);
                    enteredBy.Add(c);
                }

                state = next;
            }

            (keysAt[state] ??= []).Add(id);
        }

        // 2. Breadth-first numbering.
        var count = children.Count;
        var order = new int[count];    // new -> old
        var renumber = new int[count]; // old -> new
        var head = 0;
        var tail = 1;
        while (head < tail)
        {
            var old = order[head];
            renumber[old] = head++;
            foreach (var next in children[old].Values)
            {
                order[tail++] = next;
            }
        }

        Count = count;
        Children = new Dictionary<char, int>[count];
        EnteredBy = new char[count];
        for (var s = 0; s < count; s++)
        {
            var old = children[order[s]];
            var mapped = new Dictionary<char, int>(old.Count);
            foreach (var (c, next) in old)
            {
                mapped[c] = renumber[next];
            }

            Children[s] = mapped;
            EnteredBy[s] = enteredBy[order[s]];
        }

        // 3. Failure links, in breadth-first order.
        Fail = new int[count];
        for (var s = 0; s < count; s++)
        {
            foreach (var (c, next) in Children[s])
            {
                if (s == 0)
                {
                    continue; // the root's children fail to the root
                }

                var f = Fail[s];
                int target;
                while (!Children[f].TryGetValue(c, out target) && f != 0)
                {
                    f = Fail[f];
                }

                Fail[next] = Children[f].TryGetValue(c, out target) && target != next ? target : 0;
            }
        }

        // 4. Outputs: a state's own keys, then those of its failure chain, flattened.
        OutputStart = new int[count];
        OutputCount = new int[count];
        var outputs = new int[count][];
        var flat = new List<int>();
        for (var s = 0; s < count; s++)
        {
            var own = keysAt[order[s]];
            outputs[s] = s == 0 ? [] : own is null ? outputs[Fail[s]] : [.. own, .. outputs[Fail[s]]];
            OutputStart[s] = flat.Count;
            OutputCount[s] = outputs[s].Length;
            flat.AddRange(outputs[s]);
        }

        Outputs = [.. flat];
    }

    public int Count { get; }

    /// <summary>Goto function: state → character → next state.</summary>
    public Dictionary<char, int>[] Children { get; }

    /// <summary>The character that enters each state (the root's is <c>'\0'</c>).</summary>
    public char[] EnteredBy { get; }

    public int[] Fail { get; }

    public int[] OutputStart { get; }

    public int[] OutputCount { get; }

    public int[] Outputs { get; }
}
