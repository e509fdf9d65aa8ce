using System.Globalization;
using Alerts.Core.Matches;

namespace Alerts.Core.Pages;

/// <summary>Matches per day per pair of watched countries, drawn on the server as SVG: no chart script, no inline style.</summary>
public sealed record MatchChart(IReadOnlyList<DateOnly> Days, IReadOnlyList<string> Pairs, IReadOnlyDictionary<(DateOnly Day, string Pair), int> Counts)
{
    /// <summary>Series colours in the stylesheet (<c>.s0</c> … <c>.s5</c>); more pairs than this are drawn as the last.</summary>
    public const int Colours = 6;

    private const int Width = 720, Height = 260, Left = 40, Right = 12, Top = 12, Bottom = 44;

    /// <summary>Counts the pairs of entity groups each match names (a story naming three parties counts for each pair).</summary>
    public static MatchChart From(IEnumerable<MatchView> matches, DateOnly lastDay, int days)
    {
        var range = Enumerable.Range(0, days).Select(i => lastDay.AddDays(i - days + 1)).ToList();
        var counts = new Dictionary<(DateOnly, string), int>();
        foreach (var match in matches)
        {
            var day = DateOnly.FromDateTime((match.PublishedAt ?? match.MatchedAt).UtcDateTime);
            if (day < range[0] || day > lastDay)
            {
                continue;
            }

            var entities = match.Entities.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
            for (var a = 0; a < entities.Count; a++)
            {
                for (var b = a + 1; b < entities.Count; b++)
                {
                    var key = (day, $"{entities[a]} – {entities[b]}");
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                }
            }
        }

        var pairs = counts.GroupBy(c => c.Key.Item2).OrderByDescending(g => g.Sum(c => c.Value)).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
        return new MatchChart(range, pairs, counts);
    }

    public int Total => Counts.Values.Sum();

    /// <summary>The chart, its legend, and the same numbers as a table for screen readers and for copying.</summary>
    public Markup Render()
    {
        var perDay = Days.Select(d => Pairs.Sum(p => Counts.GetValueOrDefault((d, p)))).ToList();
        var max = Math.Max(1, perDay.DefaultIfEmpty(0).Max());
        var step = NiceStep(max);
        var top = (int)Math.Ceiling(max / (double)step) * step;
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var slot = plotWidth / (double)Days.Count;
        var bar = Math.Max(4, slot * 0.7);
        var parts = new List<Markup>();
        for (var tick = 0; tick <= top; tick += step)
        {
            var y = Top + plotHeight - (tick / (double)top * plotHeight);
            parts.Add(Html.Of($"<line class=\"grid-line\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(y)}\" y2=\"{F(y)}\"/><text x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{tick}</text>"));
        }

        for (var i = 0; i < Days.Count; i++)
        {
            var day = Days[i];
            var x = Left + (i * slot) + ((slot - bar) / 2);
            var y = (double)(Top + plotHeight);
            for (var p = 0; p < Pairs.Count; p++)
            {
                var count = Counts.GetValueOrDefault((day, Pairs[p]));
                if (count == 0)
                {
                    continue;
                }

                var h = count / (double)top * plotHeight;
                y -= h;
                parts.Add(Html.Of($"<rect class=\"s{Math.Min(p, Colours - 1)}\" x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(bar)}\" height=\"{F(h)}\"><title>{Label(day)}: {Pairs[p]}, {count}</title></rect>"));
            }

            if (Days.Count <= 16 || i % 2 == 0)
            {
                parts.Add(Html.Of($"<text x=\"{F(Left + (i * slot) + (slot / 2))}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{day.ToString("dd MMM", CultureInfo.InvariantCulture)}</text>"));
            }
        }

        parts.Add(Html.Of($"<line class=\"axis\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Top + plotHeight}\" y2=\"{Top + plotHeight}\"/>"));
        var legend = Html.Join(Pairs.Select((p, i) => Html.Of($"<li><span class=\"swatch s{Math.Min(i, Colours - 1)}\" aria-hidden=\"true\"></span>{p}</li>")));
        var header = Html.Join(Pairs.Select(p => Html.Of($"<th scope=\"col\" class=\"num\">{p}</th>")));
        var rows = Html.Join(Days.Select(d => Html.Of($"<tr><th scope=\"row\">{Label(d)}</th>{Html.Join(Pairs.Select(p => Html.Of($"<td class=\"num\">{Counts.GetValueOrDefault((d, p))}</td>")))}</tr>")));
        var description = Pairs.Count == 0
            ? "No matches in these days."
            : string.Join("; ", Pairs.Select(p => $"{p}: {Days.Sum(d => Counts.GetValueOrDefault((d, p)))}")) + $" matches over {Days.Count} days.";
        return Html.Of($"""
            <figure class="chart">
            <svg viewBox="0 0 {Width} {Height}" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">
            <title id="chart-title">Matches per day per pair of countries, last {Days.Count} days</title>
            <desc id="chart-desc">{description}</desc>
            {parts}
            </svg>
            <figcaption><ul class="legend">{legend}</ul></figcaption>
            </figure>
            <details><summary>The numbers</summary><div class="table-wrap"><table><caption class="sr-only">Matches per day per pair</caption><thead><tr><th scope="col">Day</th>{header}</tr></thead><tbody>{rows}</tbody></table></div></details>
            """);
    }

    private static int NiceStep(int max)
    {
        // About five grid lines at 1, 2 or 5 times a power of ten.
        var raw = max / 5.0;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(raw, 1))));
        var n = raw / magnitude;
        return (int)Math.Max(1, (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * magnitude);
    }

    private static string Label(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
