using System.Globalization;
using Alerts.Core.Matches;
using Alerts.Core.Watchlists;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Pages;

/// <summary>
/// <c>/console/matches</c>: what matched, newest first, filtered by watchlist, pair of countries, topic,
/// dates and source, a page at a time through <see cref="MatchService"/>; each story's explanation
/// (the sentence with the terms marked, the hits, the sources) opens in place.
/// </summary>
public sealed class MatchesPage(PageKit kit, MatchService matches, WatchlistService watchlists)
{
    public const int PageSize = 25;

    public Task<IResult> ShowAsync(HttpContext context, CancellationToken cancellationToken) => kit.GuardAsync(context, PageArea.Console, async () =>
    {
        var q = context.Request.Query;
        string? Get(string name) => q[name].ToString() is { Length: > 0 and <= 500 } v ? v.Trim() : null;
        var (watchlist, a, b, topic, source, from, to, after) = (Get("watchlist"), Get("a"), Get("b"), Get("topic"), Get("source"), Get("from"), Get("to"), Get("after"));
        var errors = new List<string>();
        var since = ParseDay(from, "from", errors);
        var until = ParseDay(to, "to", errors)?.AddDays(1); // "to" is a whole day, included
        var lists = await watchlists.ListAsync(cancellationToken);
        MatchPage? page = null;
        if (errors.Count == 0)
        {
            try
            {
                page = await matches.ListAsync(new MatchQuery(watchlist, since, PageSize, after, until, new MatchFilter(a, b, topic, source)), cancellationToken);
            }
            catch (MatchQueryException ex)
            {
                errors.Add(ex.Field == "continuation" ? "That page link is out of date; start again from the newest." : $"'{ex.Field}' {ex.Message}");
            }
        }

        var entities = lists.SelectMany(w => w.EntityGroups).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(e => (e, e)).ToList();
        var topics = lists.SelectMany(w => w.Topics).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(t => (t, t)).ToList();
        var any = new[] { ("", "Any") };
        var filters = Html.Of($"""
            <form method="get" action="/console/matches" class="card">
            <div class="inline">
            <div class="field"><label for="f-watchlist">Watchlist</label><select id="f-watchlist" name="watchlist">{Html.Options(any.Concat(lists.Select(w => (w.Name, w.Name))), watchlist ?? "")}</select></div>
            <div class="field"><label for="f-a">Country</label><select id="f-a" name="a">{Html.Options(any.Concat(entities), a ?? "")}</select></div>
            <div class="field"><label for="f-b">and country</label><select id="f-b" name="b">{Html.Options(any.Concat(entities), b ?? "")}</select></div>
            <div class="field"><label for="f-topic">Topic</label><select id="f-topic" name="topic">{Html.Options(any.Concat(topics), topic ?? "")}</select></div>
            <div class="field"><label for="f-from">From</label><input type="date" id="f-from" name="from" value="{from}"></div>
            <div class="field"><label for="f-to">To</label><input type="date" id="f-to" name="to" value="{to}"></div>
            <div class="field"><label for="f-source">Source contains</label><input type="search" id="f-source" name="source" value="{source}"></div>
            <div class="field"><button type="submit">Filter</button></div>
            </div>
            </form>
            """);
        var problem = errors.Count == 0 ? Markup.Empty : Html.Of($"<div class=\"notice error\" role=\"alert\">{Html.Join(errors.Select(e => Html.Of($"<p>{e}</p>")))}</div>");
        var list = page is null
            ? Markup.Empty
            : page.Items.Count == 0
                ? Html.Of($"<p class=\"muted\">No matches{(after is null ? "" : " on this page")}.</p>")
                : Html.Of($"<div class=\"card\"><ul class=\"stories\">{Html.Join(page.Items.Select(Story))}</ul></div>");
        var self = (string? next) => "/console/matches" + Html.Query(("watchlist", watchlist), ("a", a), ("b", b), ("topic", topic), ("from", from), ("to", to), ("source", source), ("after", next));
        var pager = Html.Of($"""
            <nav class="pager" aria-label="Pages">
            {(after is null ? Markup.Empty : Html.Of($"<a href=\"{self(null)}\">Newest</a>"))}
            {(page?.Continuation is { } more ? Html.Of($"<a href=\"{self(more)}\" rel=\"next\">Older matches</a>") : Markup.Empty)}
            </nav>
            """);
        return kit.Page(context, "Matches", Html.Of($"""
            <h1>Matches</h1>
            {filters}{problem}{list}{pager}
            """), PageArea.Console, errors.Count == 0 ? 200 : 400, current: "/console/matches");
    });

    /// <summary>One story: its linked title, when, parties and topics, and its explanation one click away.</summary>
    public static Markup Story(MatchView m)
    {
        var evidence = m.Evidence is { Length: > 0 } sentence
            ? Html.Of($"<p class=\"evidence\">{Html.Highlighted(sentence, m.Highlights ?? [])}</p>")
            : Markup.Empty;
        var hits = m.Hits is { Count: > 0 } h
            ? Html.Of($"<h3>Hits</h3><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Term</th><th scope=\"col\">Group</th><th scope=\"col\">Where</th><th scope=\"col\" class=\"num\">Times</th></tr></thead><tbody>{Html.Join(Grouped(h).Select(x => Html.Of($"<tr><td>{x.Term}</td><td>{x.Group}</td><td>{x.Fields}</td><td class=\"num\">{x.Count}</td></tr>")))}</tbody></table></div>")
            : Markup.Empty;
        var sources = Html.Join(m.Sources.Select(s => Html.Of($"<li>{Html.ExternalLink(s, s)}</li>")));
        return Html.Of($"""
            <li>
            <div class="story-title">{Html.ExternalLink(m.Link, m.Title)}</div>
            <div class="small muted">{Html.When(m.PublishedAt ?? m.MatchedAt)} · {m.Watchlist} · {string.Join(", ", m.Entities)} · {string.Join(", ", m.Topics)} · score {m.Score.ToString("0.#", CultureInfo.InvariantCulture)} · {(m.Sources.Count == 1 ? "1 source" : $"{m.Sources.Count} sources")}</div>
            <details class="explain"><summary>Why it matched</summary>
            {evidence}
            <p>{m.Reason}</p>
            {hits}
            <h3>Sources</h3><ul>{sources}</ul>
            </details>
            </li>
            """);
    }

    /// <summary>Hits by term and group: the same word found twelve times is one row that says so.</summary>
    private static IEnumerable<(string Term, string Group, string Fields, int Count)> Grouped(IReadOnlyList<Matching.Hit> hits) =>
        hits.GroupBy(h => (Term: h.Term.ToLowerInvariant(), h.Group))
            .Select(g => (g.First().Term, g.Key.Group, string.Join(", ", g.Select(h => h.Field.ToString().ToLowerInvariant()).Distinct()), g.Count()))
            .OrderByDescending(x => x.Item4)
            .Take(30);

    private static DateTimeOffset? ParseDay(string? text, string field, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        errors.Add($"'{field}' must be a date such as 2026-03-01.");
        return null;
    }
}
