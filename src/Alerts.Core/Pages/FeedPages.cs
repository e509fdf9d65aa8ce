using Alerts.Core.Feeds;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Pages;

/// <summary>
/// <c>/console/feeds</c>: add (with a test fetch at once: title and item count), remove, pause and
/// resume, OPML import and export, and the health of each feed. Rules are <see cref="FeedService"/>'s.
/// </summary>
public sealed class FeedPages(PageKit kit, FeedService feeds)
{
    public Task<IResult> ShowAsync(HttpContext context, CancellationToken cancellationToken) => kit.GuardAsync(context, PageArea.Console, async () =>
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            var done = context.Request.Query["done"].ToString();
            var notice = done switch
            {
                "removed" => Notice("ok", "Feed removed."),
                "paused" => Notice("ok", "Feed paused: the poll skips it until you resume it."),
                "resumed" => Notice("ok", "Feed resumed: the next poll fetches it."),
                "missing" => Notice("warn", "That feed is not watched (removed meanwhile?)."),
                _ => Markup.Empty,
            };
            return await PageAsync(context, notice, null, 200, cancellationToken);
        }

        var (form, refusal) = await kit.ReadFormAsync(context, PageArea.Console, "/console/feeds", cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var url = PageKit.Field(form!, "url");
        switch (PageKit.Field(form!, "action"))
        {
            case "add":
                return await AddAsync(context, url, form!["allowPrivate"] == "on", cancellationToken);
            case "remove" when url is not null:
                return PageKit.SeeOther("/console/feeds?done=" + (await feeds.RemoveAsync(url, cancellationToken) ? "removed" : "missing"));
            case "pause" or "resume" when url is not null:
                var pause = PageKit.Field(form!, "action") == "pause";
                return PageKit.SeeOther("/console/feeds?done=" + (await feeds.SetPausedAsync(url, pause, cancellationToken) ? (pause ? "paused" : "resumed") : "missing"));
            case "import":
                return await ImportAsync(context, form!, cancellationToken);
            default:
                return await PageAsync(context, Notice("error", "Choose what to do with a feed."), null, 400, cancellationToken);
        }
    });

    public Task<IResult> ExportAsync(HttpContext context, CancellationToken cancellationToken) => kit.GuardAsync(context, PageArea.Console, async () =>
    {
        var opml = await feeds.ExportOpmlAsync(cancellationToken);
        context.Response.Headers.ContentDisposition = "attachment; filename=\"alerts-feeds.opml\"";
        return Results.Content(opml, "text/x-opml; charset=utf-8");
    });

    private async Task<IResult> AddAsync(HttpContext context, string? url, bool allowPrivate, CancellationToken cancellationToken)
    {
        string added;
        bool isNew;
        try
        {
            (added, isNew) = await feeds.AddAsync(url, allowPrivate, cancellationToken);
        }
        catch (FeedUrlException ex)
        {
            return await PageAsync(context, Notice("error", $"Not added: {ex.Message}"), url, 400, cancellationToken);
        }

        // Fetched once now, so the admin sees at once whether it is a feed at all.
        var probe = await feeds.ProbeAsync(added, cancellationToken);
        var what = isNew ? "Added" : "Already watched";
        var notice = probe.Ok
            ? Html.Of($"<div class=\"notice ok\" role=\"status\" id=\"probe\"><p>{what}: <strong>{probe.Title ?? added}</strong> — a test fetch found <strong>{probe.ItemCount}</strong> item(s).</p></div>")
            : Html.Of($"<div class=\"notice warn\" role=\"status\" id=\"probe\"><p>{what}: {added}. The test fetch failed: {probe.Error}. The poll will keep trying and report it here.</p></div>");
        return await PageAsync(context, notice, null, isNew ? 201 : 200, cancellationToken);
    }

    private async Task<IResult> ImportAsync(HttpContext context, IFormCollection form, CancellationToken cancellationToken)
    {
        var file = form.Files["opml"];
        if (file is null || file.Length == 0)
        {
            return await PageAsync(context, Notice("error", "Choose an OPML file to import."), null, 400, cancellationToken);
        }

        try
        {
            await using var stream = file.OpenReadStream();
            var import = await feeds.ImportOpmlAsync(stream, cancellationToken);
            return await PageAsync(context, Notice("ok", $"Imported: {import.Added} new feed(s) of {import.Feeds} in the file."), null, 200, cancellationToken);
        }
        catch (OpmlException ex)
        {
            return await PageAsync(context, Notice("error", $"Not OPML: {ex.Message}"), null, 400, cancellationToken);
        }
    }

    private async Task<IResult> PageAsync(HttpContext context, Markup notice, string? typedUrl, int status, CancellationToken cancellationToken)
    {
        var list = await feeds.ListAsync(cancellationToken);
        var antiforgery = kit.Antiforgery(context);
        var rows = Html.Join(list.Select(f => Html.Of($"""
            <tr>
            <td><strong>{f.Title ?? "(no title yet)"}</strong><br><span class="small">{Html.ExternalLink(f.Url, f.Url)}</span></td>
            <td>{Health(f)}</td>
            <td>{Html.When(f.LastSuccessAt)}</td>
            <td class="num">{f.ItemCount}</td>
            <td class="num">{f.ConsecutiveFailures}</td>
            <td>{Html.When(f.NextPollAt)}</td>
            <td class="small">{f.LastError}</td>
            <td><form method="post" action="/console/feeds" class="inline-form">{antiforgery}<input type="hidden" name="url" value="{f.Url}">
            <button type="submit" name="action" value="{(f.Paused ? "resume" : "pause")}" class="link">{(f.Paused ? "Resume" : "Pause")}<span class="sr-only"> {f.Url}</span></button>
            <button type="submit" name="action" value="remove" class="link">Remove<span class="sr-only"> {f.Url}</span></button></form></td>
            </tr>
            """)));
        var table = list.Count == 0
            ? Html.Of($"<p class=\"muted\">No feeds yet.</p>")
            : Html.Of($"""
                <div class="table-wrap"><table>
                <thead><tr><th scope="col">Feed</th><th scope="col">Health</th><th scope="col">Last success</th><th scope="col" class="num">Items</th><th scope="col" class="num">Failures</th><th scope="col">Next try</th><th scope="col">Last error</th><th scope="col">Actions</th></tr></thead>
                <tbody>{rows}</tbody></table></div>
                """);
        return kit.Page(context, "Feeds", Html.Of($"""
            <h1>Feeds</h1>
            {notice}
            <div class="grid">
            <form method="post" action="/console/feeds" class="card">
            {antiforgery}
            <h2>Add a feed</h2>
            <div class="field"><label for="url">Feed address</label><input type="url" id="url" name="url" required value="{typedUrl}" placeholder="https://…/rss.xml"></div>
            <label class="choice" for="allowPrivate"><input type="checkbox" id="allowPrivate" name="allowPrivate"><span>It is an intranet feed (its host may be on a private network)</span></label>
            <button type="submit" name="action" value="add">Add and test</button>
            </form>
            <form method="post" action="/console/feeds" enctype="multipart/form-data" class="card">
            {antiforgery}
            <h2>OPML</h2>
            <div class="field"><label for="opml">Import a list of feeds</label><input type="file" id="opml" name="opml" accept=".opml,.xml,text/x-opml,text/xml"></div>
            <div class="actions"><button type="submit" name="action" value="import" class="secondary">Import</button><a href="/console/feeds/opml">Export all feeds as OPML</a></div>
            </form>
            </div>
            <h2>Watched feeds ({list.Count})</h2>
            {table}
            """), PageArea.Console, status, current: "/console/feeds");
    }

    private static Markup Health(FeedView f) =>
        f.Paused ? Html.Of($"<span class=\"badge paused\">paused</span>")
        : f.LastAttemptAt is null ? Html.Of($"<span class=\"badge info\">not polled yet</span>")
        : f.Healthy ? Html.Of($"<span class=\"badge ok\">ok</span>")
        : Html.Of($"<span class=\"badge bad\">failing{(f.LastStatus is { } s ? $" ({s})" : "")}</span>");

    private static Markup Notice(string kind, string text) => Html.Of($"<div class=\"notice {kind}\" role=\"status\"><p>{text}</p></div>");
}
