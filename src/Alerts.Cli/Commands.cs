using System.Globalization;
using System.Text.Json;
using Alerts.Core.Api;
using Alerts.Core.Digests;
using Alerts.Core.Feeds;
using Alerts.Core.Matching;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Alerts.Core.Subscribers;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Cli;

/// <summary>The admin commands: each parses its arguments and calls one Core service.</summary>
internal static class Commands
{
    public static async Task<int> PollAsync(IServiceProvider services, string[] args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, ["once"], []);
        a.NoMorePositionalThan(0);
        var feeds = await services.GetRequiredService<FeedStore>().ListAsync(cancellationToken);
        if (feeds.Count == 0)
        {
            await stdout.WriteLineAsync("no feeds configured; add one with: alerts feeds add URL");
            return 0;
        }

        var progress = new SynchronousProgress<FeedPollResult>(r => stdout.WriteLine(r.Ok
            ? $"ok    {r.FeedUrl}  {(r.NotModified ? "not modified" : $"{r.Items} items, {r.NewItems} new, {r.NewMatches} new matches")}"
            : $"FAIL  {r.FeedUrl}  {r.Error}"));
        var (summary, digests) = await services.GetRequiredService<PollCycle>().RunAsync(progress, cancellationToken);
        await stdout.WriteLineAsync(summary.ToString());
        if (digests.Sent + digests.Failed > 0)
        {
            await stdout.WriteLineAsync($"{digests.Sent} digest(s) sent, {digests.Failed} failed");
        }

        return 0;
    }

    public static async Task<int> DigestAsync(IServiceProvider services, string[] args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, ["now"], ["to"]);
        a.NoMorePositionalThan(0);
        var to = a.Value("to") is { } t ? AlertsCli.ValidEmail(t) : null;
        var summary = await services.GetRequiredService<DigestService>().SendDueAsync(a.Has("now"), to, cancellationToken);
        foreach (var error in summary.Errors)
        {
            await stdout.WriteLineAsync($"FAIL  {error}");
        }

        await stdout.WriteLineAsync($"{summary.Sent} digest(s) sent, {summary.Skipped} with nothing due, {summary.Failed} failed ({summary.Subscribers} subscriber(s))");
        foreach (var trouble in await services.GetRequiredService<DigestStore>().ListTroubleAsync(cancellationToken))
        {
            await stdout.WriteLineAsync($"{trouble.Status,-11} {trouble.To}  digest {trouble.RowKey} of {trouble.CreatedAt:yyyy-MM-dd HH:mm}  {trouble.LastError}");
        }
        if (to is not null && summary.Subscribers == 0)
        {
            throw new UsageException($"no confirmed subscriber {to}");
        }

        return summary.Failed > 0 ? 1 : 0;
    }

    public static async Task<int> FeedsAsync(IServiceProvider services, string[] args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, ["json", "default"], []);
        var store = services.GetRequiredService<FeedStore>();
        switch (a.Positional(0, "subcommand (list, add, remove, import, export)"))
        {
            case "list":
                a.NoMorePositionalThan(1);
                var feeds = await store.ListAsync(cancellationToken);
                if (a.Has("json"))
                {
                    foreach (var f in feeds)
                    {
                        await stdout.WriteLineAsync(JsonSerializer.Serialize(new { f.Url, f.Title, f.LastAttemptAt, f.LastSuccessAt, f.LastStatus, f.ConsecutiveFailures, f.LastError, f.NextPollAt, f.ItemCount }, ApiJson.Options));
                    }

                    return 0;
                }

                foreach (var f in feeds)
                {
                    var health = f.ConsecutiveFailures > 0
                        ? $"FAILING x{f.ConsecutiveFailures} (HTTP {f.LastStatus?.ToString() ?? "-"}): {f.LastError}; next try {Time(f.NextPollAt)}"
                        : f.LastSuccessAt is null ? "never polled" : $"ok, {f.ItemCount} items";
                    await stdout.WriteLineAsync($"{f.Url}  last success {Time(f.LastSuccessAt)}  {health}");
                }

                await stdout.WriteLineAsync($"{feeds.Count} feed(s)");
                return 0;
            case "add":
                a.NoMorePositionalThan(2);
                var url = CheckedUrl(a.Positional(1, "feed URL"));
                await stdout.WriteLineAsync(await store.AddAsync(url, cancellationToken) ? $"added {url}" : $"already watched: {url}");
                return 0;
            case "remove":
                a.NoMorePositionalThan(2);
                var gone = a.Positional(1, "feed URL");
                if (!await store.RemoveAsync(gone, cancellationToken))
                {
                    throw new UsageException($"not a watched feed: {gone}");
                }

                await stdout.WriteLineAsync($"removed {gone}");
                return 0;
            case "import":
                a.NoMorePositionalThan(a.Has("default") ? 1 : 2);
                var added = 0;
                List<string> urls;
                try
                {
                    urls = a.Has("default") ? Opml.ReadFeedUrls(Opml.Default()) : Opml.ReadFeedUrls(File.OpenRead(a.Positional(1, "OPML file (or --default)")));
                }
                catch (OpmlException ex)
                {
                    throw new UsageException(ex.Message);
                }

                foreach (var u in urls)
                {
                    added += await store.AddAsync(u, cancellationToken) ? 1 : 0;
                }

                await stdout.WriteLineAsync($"imported {added} new feed(s) of {urls.Count}");
                return 0;
            case "export":
                a.NoMorePositionalThan(1);
                await stdout.WriteLineAsync(Opml.Write(await store.ListAsync(cancellationToken)));
                return 0;
            default:
                throw new UsageException($"unknown feeds subcommand '{a.Positional(0, "")}'");
        }
    }

    public static async Task<int> WatchlistsAsync(IServiceProvider services, string[] args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, [], []);
        var store = services.GetRequiredService<WatchlistStore>();
        switch (a.Positional(0, "subcommand (list, show, import, export)"))
        {
            case "list":
                a.NoMorePositionalThan(1);
                foreach (var m in await store.GetAllAsync(cancellationToken))
                {
                    await stdout.WriteLineAsync($"{m.Watchlist.Name}  {m.Watchlist.Entities.Count} entity groups, {m.Watchlist.Topics.Count} topics, {m.TermCount} terms  {m.Watchlist.Description}");
                }

                return 0;
            case "show" or "export":
                a.NoMorePositionalThan(2);
                var name = a.Positional(1, "watchlist name");
                var found = await store.GetAsync(name, cancellationToken) ?? throw new UsageException($"no watchlist named '{name}'");
                await stdout.WriteLineAsync(WatchlistJson.Write(found.Watchlist));
                return 0;
            case "import":
                a.NoMorePositionalThan(2);
                var watchlist = WatchlistJson.Parse(await File.ReadAllTextAsync(a.Positional(1, "watchlist file"), cancellationToken));
                await store.SaveAsync(watchlist, cancellationToken);
                await stdout.WriteLineAsync($"imported watchlist '{watchlist.Name}'");
                return 0;
            default:
                throw new UsageException($"unknown watchlists subcommand '{a.Positional(0, "")}'");
        }
    }

    public static async Task<int> SubscribersAsync(IServiceProvider services, string[] args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, ["json", "confirm"], ["watchlist", "cadence", "name", "timezone"]);
        var store = services.GetRequiredService<SubscriberStore>();
        switch (a.Positional(0, "subcommand (list, add, remove)"))
        {
            case "list":
                a.NoMorePositionalThan(1);
                var all = await store.ListAsync(cancellationToken);
                foreach (var s in all)
                {
                    await stdout.WriteLineAsync($"{s.Email}  {s.Watchlists}  {s.Cadence} {s.TimeZone}  {(s.Confirmed ? "confirmed" : "unconfirmed")}  last digest {Time(s.LastDigestAt)}");
                }

                await stdout.WriteLineAsync($"{all.Count} subscriber(s)");
                return 0;
            case "add":
                a.NoMorePositionalThan(2);
                var request = new SubscriptionRequest(
                    a.Positional(1, "email address"),
                    a.Value("name"),
                    a.Value("watchlist")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    a.Value("cadence"),
                    a.Value("timezone"));
                var subscriptions = services.GetRequiredService<SubscriptionService>();
                try
                {
                    if (a.Has("confirm"))
                    {
                        // Double opt-in: the subscriber confirms through the emailed link.
                        await subscriptions.SubscribeAsync(request, cancellationToken);
                        await stdout.WriteLineAsync($"confirmation link sent to {request.Email!.Trim()}");
                        return 0;
                    }

                    var valid = await subscriptions.ValidateAsync(request, cancellationToken);
                    var (isNew, _) = await store.UpsertAsync(valid.Email, valid.Name, valid.Watchlists, valid.Cadence, confirmed: true, cancellationToken, valid.TimeZone);
                    await stdout.WriteLineAsync($"{(isNew ? "added" : "updated")} {valid.Email} ({string.Join(",", valid.Watchlists)}, {valid.Cadence} {valid.TimeZone})");
                    return 0;
                }
                catch (SubscriptionException ex)
                {
                    throw new UsageException(ex.Message);
                }
            case "remove":
                a.NoMorePositionalThan(2);
                var gone = a.Positional(1, "email address");
                if (!await store.RemoveAsync(gone, cancellationToken))
                {
                    throw new UsageException($"no subscriber {gone}");
                }

                await stdout.WriteLineAsync($"removed {gone}");
                return 0;
            default:
                throw new UsageException($"unknown subscribers subcommand '{a.Positional(0, "")}'");
        }
    }

    public static async Task<int> MatchesAsync(IServiceProvider services, string[] args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, ["json"], ["since", "watchlist", "max"]);
        a.NoMorePositionalThan(0);
        DateTimeOffset? since = null;
        if (a.Value("since") is { } s)
        {
            since = DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw new UsageException($"--since '{s}' is not a date (use ISO 8601, e.g. 2026-11-01)");
        }

        var max = a.Value("max") is { } m ? (int.TryParse(m, out var n) && n > 0 ? n : throw new UsageException("--max must be a positive number")) : 100;
        var rows = await services.GetRequiredService<MatchStore>().ListAsync(a.Value("watchlist"), null, int.MaxValue, cancellationToken);
        var shown = rows.Where(r => since is null || (r.PublishedAt ?? r.MatchedAt) >= since).Take(max).ToList();
        foreach (var row in shown)
        {
            if (a.Has("json"))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(MatchView.From(row), ApiJson.Options));
            }
            else
            {
                await stdout.WriteLineAsync($"{Time(row.PublishedAt ?? row.MatchedAt)}  {row.Score,5:0.0}  {row.Title}");
                await stdout.WriteLineAsync($"      {row.Entities} | {row.Topics} | {row.Link}");
            }
        }

        if (!a.Has("json"))
        {
            await stdout.WriteLineAsync($"{shown.Count} match(es)");
        }

        return 0;
    }

    internal static string CheckedUrl(string url)
    {
        try
        {
            return SsrfGuard.ParseFetchableUrl(url).AbsoluteUri;
        }
        catch (SsrfException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static string Time(DateTimeOffset? t) => t?.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) ?? "never";

    /// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly Lock _gate = new();

        public void Report(T value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
