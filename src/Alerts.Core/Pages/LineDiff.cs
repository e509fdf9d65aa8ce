namespace Alerts.Core.Pages;

/// <summary>A line-by-line difference of two texts (watchlist JSON versions), shown as a unified diff.</summary>
public static class LineDiff
{
    /// <summary>The middle part (after common head and tail are set aside) is compared cell by cell only up to this size.</summary>
    private const long MaxCells = 4_000_000;

    public enum Op
    {
        Same,
        Added,
        Removed,
    }

    public static IReadOnlyList<(Op Op, string Line)> Compute(string? before, string? after)
    {
        var a = Lines(before);
        var b = Lines(after);
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[^(tail + 1)] == b[^(tail + 1)])
        {
            tail++;
        }

        var result = new List<(Op, string)>(a.Length + b.Length);
        result.AddRange(a[..head].Select(l => (Op.Same, l)));
        var midA = a[head..(a.Length - tail)];
        var midB = b[head..(b.Length - tail)];
        if ((long)midA.Length * midB.Length > MaxCells)
        {
            // Too large to align line by line here: show it as replaced, which is still true.
            result.AddRange(midA.Select(l => (Op.Removed, l)));
            result.AddRange(midB.Select(l => (Op.Added, l)));
        }
        else
        {
            result.AddRange(Align(midA, midB));
        }

        result.AddRange(a[(a.Length - tail)..].Select(l => (Op.Same, l)));
        return result;
    }

    /// <summary>The changes with a few lines of context around each; unchanged stretches become a gap line.</summary>
    public static Markup Render(string? before, string? after, int context = 2)
    {
        var diff = Compute(before, after);
        if (diff.All(d => d.Op == Op.Same))
        {
            return Html.Of($"<p class=\"muted\">No difference.</p>");
        }

        var keep = new bool[diff.Count];
        for (var i = 0; i < diff.Count; i++)
        {
            if (diff[i].Op != Op.Same)
            {
                for (var j = Math.Max(0, i - context); j <= Math.Min(diff.Count - 1, i + context); j++)
                {
                    keep[j] = true;
                }
            }
        }

        var lines = new List<Markup>();
        var gap = false;
        for (var i = 0; i < diff.Count; i++)
        {
            if (!keep[i])
            {
                if (!gap)
                {
                    lines.Add(Html.Of($"<span class=\"gap\">…</span>"));
                }

                gap = true;
                continue;
            }

            gap = false;
            var (op, line) = diff[i];
            lines.Add(op switch
            {
                Op.Added => Html.Of($"<span class=\"add\"><span class=\"sr-only\">added: </span>+ {line}</span>"),
                Op.Removed => Html.Of($"<span class=\"del\"><span class=\"sr-only\">removed: </span>- {line}</span>"),
                _ => Html.Of($"<span>  {line}</span>"),
            });
        }

        return Html.Of($"<pre class=\"diff\">{lines}</pre>");
    }

    private static string[] Lines(string? text) => string.IsNullOrEmpty(text) ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');

    /// <summary>Longest common subsequence of lines, walked back into a diff.</summary>
    private static List<(Op, string)> Align(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var result = new List<(Op, string)>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                result.Add((Op.Same, a[x++]));
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                result.Add((Op.Removed, a[x++]));
            }
            else
            {
                result.Add((Op.Added, b[y++]));
            }
        }

        result.AddRange(a[x..].Select(l => (Op.Removed, l)));
        result.AddRange(b[y..].Select(l => (Op.Added, l)));
        return result;
    }
}
