using System.Globalization;
using System.Text.Json;
using Alerts.Core.Api;
using Alerts.Core.Digests;
using Alerts.Core.Feeds;
using Alerts.Core.Matches;
using Alerts.Core.Matching;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Alerts.Core.Subscribers;
using Alerts.Core.Watchlists;
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
        var a = new Arguments(args, ["json", "default", "allow-private"], []);
        var feeds = services.GetRequiredService<FeedService>();
        switch (a.Positional(0, "subcommand (list, add, remove, import, export)"))
        {
            case "list":
                a.NoMorePositionalThan(1);
                var list = await feeds.ListAsync(cancellationToken);
                if (a.Has("json"))
                {
                    foreach (var f in list)
                    {
                        await stdout.WriteLineAsync(JsonSerializer.Serialize(f, ApiJson.Options));
                    }

                    return 0;
                }

                foreach (var f in list)
                {
                    var health = f.ConsecutiveFailures > 0
                        ? $"FAILING x{f.ConsecutiveFailures} (HTTP {f.LastStatus?.ToString(CultureInfo.InvariantCulture) ?? "-"}): {f.LastError}; next try {Time(f.NextPollAt)}"
                        : f.LastSuccessAt is null ? "never polled" : $"ok, {f.ItemCount} items";
                    await stdout.WriteLineAsync($"{f.Url}  last success {Time(f.LastSuccessAt)}  {health}");
                }

                await stdout.WriteLineAsync($"{list.Count} feed(s)");
                return 0;
            case "add":
                a.NoMorePositionalThan(2);
                try
                {
                    var (url, added) = await feeds.AddAsync(a.Positional(1, "feed URL"), a.Has("allow-private"), cancellationToken);
                    await stdout.WriteLineAsync(added ? $"added {url}" : $"already watched: {url}");
                }
                catch (FeedUrlException ex)
                {
                    throw new UsageException(ex.Message);
                }

                return 0;
            case "remove":
                a.NoMorePositionalThan(2);
                var gone = a.Positional(1, "feed URL");
                if (!await feeds.RemoveAsync(gone, cancellationToken))
                {
                    throw new UsageException($"not a watched feed: {gone}");
                }

                await stdout.WriteLineAsync($"removed {gone}");
                return 0;
            case "import":
                a.NoMorePositionalThan(a.Has("default") ? 1 : 2);
                try
                {
                    await using var opml = a.Has("default") ? Opml.Default() : File.OpenRead(a.Positional(1, "OPML file (or --default)"));
                    var import = await feeds.ImportOpmlAsync(opml, cancellationToken);
                    await stdout.WriteLineAsync($"imported {import.Added} new feed(s) of {import.Feeds}");
                }
                catch (OpmlException ex)
                {
                    throw new UsageException(ex.Message);
                }

                return 0;
            case "export":
                a.NoMorePositionalThan(1);
                await stdout.WriteLineAsync(await feeds.ExportOpmlAsync(cancellationToken));
                return 0;
            default:
                throw new UsageException($"unknown feeds subcommand '{a.Positional(0, "")}'");
        }
    }

    public static async Task<int> WatchlistsAsync(IServiceProvider services, string[] args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, [], []);
        var watchlists = services.GetRequiredService<WatchlistService>();
        switch (a.Positional(0, "subcommand (list, show, import, export, history)"))
        {
            case "list":
                a.NoMorePositionalThan(1);
                foreach (var w in await watchlists.ListAsync(cancellationToken))
                {
                    await stdout.WriteLineAsync($"{w.Name}  {w.EntityGroups.Count} entity groups, {w.Topics.Count} topics, {w.Terms} terms  {w.Description}");
                }

                return 0;
            case "show" or "export":
                a.NoMorePositionalThan(2);
                var name = a.Positional(1, "watchlist name");
                var found = await watchlists.GetAsync(name, cancellationToken) ?? throw new UsageException($"no watchlist named '{name}'");
                await stdout.WriteLineAsync(found.Json);
                return 0;
            case "import":
                a.NoMorePositionalThan(2);
                var watchlist = WatchlistJson.Parse(await File.ReadAllTextAsync(a.Positional(1, "watchlist file"), cancellationToken));
                var write = await watchlists.ImportAsync(watchlist, Who, cancellationToken);
                if (write.Status is not (WatchlistWriteStatus.Created or WatchlistWriteStatus.Updated))
                {
                    throw new UsageException($"watchlist '{watchlist.Name}' changed while it was imported; run the import again");
                }

                await stdout.WriteLineAsync($"imported watchlist '{watchlist.Name}' ({(write.Status == WatchlistWriteStatus.Created ? "new" : "replaced the version in force")})");
                return 0;
            case "history":
                a.NoMorePositionalThan(2);
                foreach (var change in await watchlists.HistoryAsync(a.Positional(1, "watchlist name"), 50, cancellationToken))
                {
                    await stdout.WriteLineAsync($"{Time(change.When)}  {change.Action,-6}  {change.Who}");
                }

                return 0;
            default:
                throw new UsageException($"unknown watchlists subcommand '{a.Positional(0, "")}'");
        }
    }

    /// <summary>Who the audit names for a change made from this command line.</summary>
    internal static string Who => $"{Environment.UserName}@{Environment.MachineName} (cli)";

    public static async Task<int> SubscribersAsync(IServiceProvider services, string[] args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, ["json", "confirm"], ["watchlist", "cadence", "name", "timezone"]);
        var subscribers = services.GetRequiredService<SubscriberService>();
        switch (a.Positional(0, "subcommand (list, add, remove)"))
        {
            case "list":
                a.NoMorePositionalThan(1);
                var all = await subscribers.ListAsync(cancellationToken);
                foreach (var s in all)
                {
                    await stdout.WriteLineAsync($"{s.Email}  {string.Join(",", s.Watchlists)}  {s.Cadence} {s.TimeZone}  {(s.Confirmed ? "confirmed" : "unconfirmed")}{(s.ChangePending ? ", change pending" : "")}  last digest {Time(s.LastDigestAt)}");
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
                try
                {
                    if (a.Has("confirm"))
                    {
                        // Double opt-in: the subscriber confirms through the emailed link.
                        var sent = await subscribers.InviteAsync(request, cancellationToken);
                        await stdout.WriteLineAsync(sent
                            ? $"confirmation link sent to {request.Email!.Trim()}"
                            : $"no email sent: {request.Email!.Trim()} had a confirmation email less than {SubscriptionService.ConfirmationInterval.TotalMinutes:0} minutes ago (or {SubscriptionService.ConfirmationsPerDay} today)");
                        return 0;
                    }

                    var (view, added) = await subscribers.AddConfirmedAsync(request, cancellationToken);
                    await stdout.WriteLineAsync($"{(added ? "added" : "updated")} {view.Email} ({string.Join(",", view.Watchlists)}, {view.Cadence} {view.TimeZone})");
                    return 0;
                }
                catch (SubscriptionException ex)
                {
                    throw new UsageException(ex.Message);
                }
            case "remove":
                a.NoMorePositionalThan(2);
                var gone = a.Positional(1, "email address");
                if (!await subscribers.RemoveAsync(gone, cancellationToken))
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
            since = MatchService.ParseSince(s) ?? throw new UsageException($"--since '{s}' is not a date (use ISO 8601, e.g. 2026-11-01)");
        }

        var max = a.Value("max") is { } m ? (int.TryParse(m, out var n) && n is > 0 and <= MatchService.MaxPage ? n : throw new UsageException($"--max must be a number from 1 to {MatchService.MaxPage}")) : 100;
        var page = await services.GetRequiredService<MatchService>().ListAsync(new MatchQuery(a.Value("watchlist"), since, max), cancellationToken);
        foreach (var match in page.Items)
        {
            if (a.Has("json"))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(match, ApiJson.Options));
            }
            else
            {
                await stdout.WriteLineAsync($"{Time(match.PublishedAt ?? match.MatchedAt)}  {match.Score,5:0.0}  {match.Title}");
                await stdout.WriteLineAsync($"      {string.Join(", ", match.Entities)} | {string.Join(", ", match.Topics)} | {match.Link}");
            }
        }

        if (!a.Has("json"))
        {
            await stdout.WriteLineAsync($"{page.Items.Count} match(es)");
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
