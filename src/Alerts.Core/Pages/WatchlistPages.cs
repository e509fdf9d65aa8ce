using System.Globalization;
using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Alerts.Core.Watchlists;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Pages;

/// <summary>
/// <c>/console/watchlists</c> and the editor at <c>/console/watchlists/{name}</c>: a form (and the JSON
/// for experts), "test against the last N days" before saving, saving with the ETag the editor was
/// opened with — a change made meanwhile is shown, never overwritten unseen — and the audit history as
/// diffs. Every rule is <see cref="WatchlistService"/>'s, as for <c>PUT /api/watchlists</c>.
/// </summary>
public sealed class WatchlistPages(PageKit kit, WatchlistService watchlists, TimeProvider time)
{
    private const int HistoryShown = 10;

    public Task<IResult> ListAsync(HttpContext context, CancellationToken cancellationToken) => kit.GuardAsync(context, PageArea.Console, async () =>
    {
        var lists = await watchlists.ListAsync(cancellationToken);
        var rows = Html.Join(lists.Select(w => Html.Of($"""
            <tr><td><a href="/console/watchlists/{w.Name}">{w.Name}</a></td><td>{w.Description}</td><td>{string.Join(", ", w.EntityGroups)}</td><td>{string.Join(", ", w.Topics)}</td><td class="num">{w.Terms}</td></tr>
            """)));
        return kit.Page(context, "Watchlists", Html.Of($"""
            <h1>Watchlists</h1>
            <div class="table-wrap"><table>
            <thead><tr><th scope="col">Name</th><th scope="col">Public description</th><th scope="col">Parties</th><th scope="col">Topics</th><th scope="col" class="num">Terms</th></tr></thead>
            <tbody>{rows}</tbody></table></div>
            <form method="get" action="/console/watchlists/new" class="card inline">
            <div class="field"><label for="new-name">New watchlist</label><input type="text" id="new-name" name="name" pattern="[a-z0-9][a-z0-9-]{"{0,62}"}" required><p class="hint">a-z, 0-9 and '-'</p></div>
            <div class="field"><button type="submit">Create</button></div>
            </form>
            """), PageArea.Console, current: "/console/watchlists");
    });

    public Task<IResult> EditAsync(HttpContext context, string name, CancellationToken cancellationToken) => kit.GuardAsync(context, PageArea.Console, async () =>
    {
        if (name == "new" && context.Request.Query["name"].ToString() is { Length: > 0 } wanted)
        {
            return WatchlistValidator.IsValidName(wanted)
                ? PageKit.SeeOther("/console/watchlists/" + wanted)
                : kit.Error(context, 400, "Not a watchlist name", "A watchlist name is 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit.", PageKit.BackLink("/console/watchlists"), PageArea.Console);
        }

        if (!WatchlistValidator.IsValidName(name))
        {
            return kit.Error(context, 404, "No such watchlist", "A watchlist name is 1-63 characters of a-z, 0-9 and '-'.", PageKit.BackLink("/console/watchlists", "All watchlists"), PageArea.Console);
        }

        var current = await watchlists.GetAsync(name, cancellationToken);
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            var notice = context.Request.Query["saved"].Count > 0 ? Html.Of($"<div class=\"notice ok\" role=\"status\"><p>Saved. The next poll uses it.</p></div>") : Markup.Empty;
            var draft = current?.Watchlist ?? new Watchlist { Name = name };
            return await EditorAsync(context, name, draft, current?.ETag ?? "", time.GetUtcNow(), 7, notice, 200, cancellationToken);
        }

        var (form, refusal) = await kit.ReadFormAsync(context, PageArea.Console, "/console/watchlists/" + name, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        return await PostAsync(context, name, form!, current, cancellationToken);
    });

    private async Task<IResult> PostAsync(HttpContext context, string name, IFormCollection form, WatchlistVersion? current, CancellationToken cancellationToken)
    {
        var etag = form["etag"].ToString();
        var openedAt = long.TryParse(form["opened"], NumberStyles.None, CultureInfo.InvariantCulture, out var opened) && opened < 253402300799000 ? DateTimeOffset.FromUnixTimeMilliseconds(opened) : time.GetUtcNow();
        var days = int.TryParse(form["days"], NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : 7;
        Watchlist draft;
        try
        {
            draft = PageKit.Field(form, "mode") == "json"
                ? FromJson(name, form["json"].ToString())
                : WatchlistForm.Apply(name, form, current?.Json);
        }
        catch (WatchlistException ex)
        {
            var fallback = current?.Watchlist ?? new Watchlist { Name = name };
            return await EditorAsync(context, name, fallback, etag, openedAt, days, Problem($"The watchlist is not valid: {ex.Field}: {ex.Message}"), 400, cancellationToken, form["json"].ToString());
        }

        if (PageKit.Field(form, "action") == "test")
        {
            if (days is < 1 or > WatchlistService.MaxDryRunDays)
            {
                return await EditorAsync(context, name, draft, etag, openedAt, 7, Problem($"Test over 1 to {WatchlistService.MaxDryRunDays} days."), 400, cancellationToken);
            }

            if (Api.DraftLimit.Check(draft, "watchlist") is not null)
            {
                return await EditorAsync(context, name, draft, etag, openedAt, days, Problem("This draft has too many terms to test."), 413, cancellationToken);
            }

            var run = await watchlists.TestAsync(name, draft, days, cancellationToken);
            return await EditorAsync(context, name, draft, etag, openedAt, days, DryRunResult(run), 200, cancellationToken);
        }

        WatchlistWrite write;
        try
        {
            write = await watchlists.PutAsync(name, draft, etag.Length == 0 ? null : etag, kit.SignIn.Who(context) ?? "console", cancellationToken);
        }
        catch (WatchlistException ex)
        {
            return await EditorAsync(context, name, draft, etag, openedAt, days, Problem($"The watchlist is not valid: {ex.Field}: {ex.Message}"), 400, cancellationToken);
        }
        catch (StoredTextTooLargeException ex)
        {
            return await EditorAsync(context, name, draft, etag, openedAt, days, Problem($"Too large to store: {ex.Message}"), 413, cancellationToken);
        }

        if (write.Status is WatchlistWriteStatus.Created or WatchlistWriteStatus.Updated)
        {
            return PageKit.SeeOther($"/console/watchlists/{name}?saved=1");
        }

        // Someone saved meanwhile: show what they changed, keep this draft, and let the admin decide.
        var now = await watchlists.GetAsync(name, cancellationToken);
        var history = await watchlists.HistoryAsync(name, HistoryShown, cancellationToken);
        var since = history.Where(h => h.When > openedAt).ToList(); // after the editor was opened: not the change that opened it
        var changes = since.Count == 0
            ? Html.Of($"<p>It was changed after you opened it.</p>")
            : Html.Join(since.Select(h => Html.Of($"<h3>{h.Action} by {h.Who}, {Html.When(h.When)}</h3>{LineDiff.Render(h.Before, h.After)}")));
        var conflict = Html.Of($"""
            <div class="notice warn" role="alert">
            <h2>Changed meanwhile — nothing was overwritten</h2>
            <p>Someone saved this watchlist after you opened it. Their changes are below; your draft is still in the form. Saving again now replaces their version with yours.</p>
            </div>
            <section class="card" aria-labelledby="theirs"><h2 id="theirs">What changed meanwhile</h2>{changes}
            <details><summary>Your draft compared with the version now in force</summary>{LineDiff.Render(now?.Json, WatchlistJson.Write(draft))}</details></section>
            """);
        return await EditorAsync(context, name, draft, now?.ETag ?? "", time.GetUtcNow(), days, conflict, 409, cancellationToken);
    }

    private async Task<IResult> EditorAsync(HttpContext context, string name, Watchlist draft, string etag, DateTimeOffset openedAt, int days, Markup notice, int status, CancellationToken cancellationToken, string? rawJson = null)
    {
        var history = await watchlists.HistoryAsync(name, HistoryShown, cancellationToken);
        var json = rawJson is { Length: > 0 } ? rawJson : WatchlistJson.Write(draft);
        var hidden = Html.Of($"""
            {kit.Antiforgery(context)}
            <input type="hidden" name="etag" value="{etag}">
            <input type="hidden" name="opened" value="{openedAt.ToUnixTimeMilliseconds()}">
            """);
        var buttons = (string id) => Html.Of($"""
            <div class="actions">
            <label for="{id}" class="sr-only">Days to test against</label>
            <span>Test against the last</span><input type="number" id="{id}" name="days" min="1" max="{WatchlistService.MaxDryRunDays}" value="{days}"><span>days</span>
            <button type="submit" name="action" value="test" class="secondary">Test</button>
            <button type="submit" name="action" value="save">Save</button>
            </div>
            """);
        var historyList = history.Count == 0
            ? Html.Of($"<p class=\"muted\">No changes recorded yet{(etag == WatchlistStore.BuiltInETag ? " (this is the built-in default)" : "")}.</p>")
            : Html.Join(history.Select(h => Html.Of($"<details><summary>{h.Action} by {h.Who}, {Html.When(h.When)}</summary>{LineDiff.Render(h.Before, h.After)}</details>")));
        return kit.Page(context, $"Watchlist {name}", Html.Of($"""
            <h1>Watchlist <code>{name}</code></h1>
            {notice}
            <section class="card" aria-labelledby="edit-form">
            <h2 id="edit-form">Edit</h2>
            <form method="post" action="/console/watchlists/{name}">
            {hidden}<input type="hidden" name="mode" value="form">
            {WatchlistForm.Fields(draft)}
            {buttons("days-form")}
            </form>
            </section>
            <section class="card" aria-labelledby="edit-json">
            <details{(rawJson is { Length: > 0 } ? new Markup(" open") : Markup.Empty)}><summary id="edit-json">Edit as JSON (for experts)</summary>
            <form method="post" action="/console/watchlists/{name}">
            {hidden}<input type="hidden" name="mode" value="json">
            <div class="field"><label for="json">Watchlist JSON</label><textarea id="json" name="json" class="json" spellcheck="false">{json}</textarea></div>
            {buttons("days-json")}
            </form>
            </details>
            </section>
            <section class="card" aria-labelledby="history"><h2 id="history">History</h2>{historyList}</section>
            """), PageArea.Console, status, current: "/console/watchlists");
    }

    private static Watchlist FromJson(string name, string json)
    {
        var draft = WatchlistJson.Parse(json);
        return draft.Name == name ? draft : throw new WatchlistException("name", $"must be '{name}', the name it is stored under");
    }

    private static Markup Problem(string message) => Html.Of($"<div class=\"notice error\" role=\"alert\"><p>{message}</p></div>");

    private static Markup DryRunResult(DryRun run)
    {
        static Markup Items(IReadOnlyList<DryRunItem> items, int count, string none) => items.Count == 0
            ? Html.Of($"<p class=\"muted\">{none}</p>")
            : Html.Of($"<ul class=\"stories\">{Html.Join(items.Select(i => Html.Of($"<li><span class=\"story-title\">{Html.ExternalLink(i.Link, i.Title)}</span><br><span class=\"small muted\">score {i.Score.ToString("0.#", CultureInfo.InvariantCulture)} · {i.Reason}</span></li>")))}</ul>{(count > items.Count ? Html.Of($"<p class=\"small muted\">and {count - items.Count} more</p>") : Markup.Empty)}");
        return Html.Of($"""
            <section class="card" aria-labelledby="dry-run" id="dry-run-result">
            <h2 id="dry-run">Test against the last {run.Days} days: nothing saved yet</h2>
            <p>{run.ItemsChecked} stored items checked; {run.FlaggedByBoth} flagged by both versions; <strong>{run.WouldFlagCount} would start matching</strong>, <strong>{run.WouldStopFlaggingCount} would stop matching</strong>.</p>
            <h3>Would start matching</h3>{Items(run.WouldFlag, run.WouldFlagCount, "None.")}
            <h3>Would stop matching</h3>{Items(run.WouldStopFlagging, run.WouldStopFlaggingCount, "None.")}
            </section>
            """);
    }
}
