using System.CommandLine;
using System.Globalization;
using Alerts.Cli.CommandLine;
using Alerts.Core.Feeds;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Cli.Commands;

/// <summary><c>alerts feeds</c>: an adapter over <see cref="FeedService"/>, which holds every rule about feeds.</summary>
internal static class FeedsCommand
{
    public static Command Create(CliContext cli) => new CliCommand("feeds", "Manage the watched feeds")
    {
        List(cli),
        Add(cli),
        Remove(cli),
        Import(cli),
        Export(cli),
        Retry(cli),
    };

    private static CliCommand List(CliContext cli)
    {
        var json = new Option<bool>("--json") { Description = "one JSON object a line, as GET /api/feeds answers" };
        var command = new CliCommand("list", "The feeds with their health") { json };
        command.SetAction((parsed, ct) => cli.WithServicesAsync(async services =>
        {
            var list = await services.GetRequiredService<FeedService>().ListAsync(ct);
            if (parsed.GetValue(json))
            {
                foreach (var f in list)
                {
                    await cli.Out.WriteLineAsync(CliJson.Line(f));
                }

                return 0;
            }

            foreach (var f in list)
            {
                var health = f.ConsecutiveFailures > 0
                    ? $"FAILING x{f.ConsecutiveFailures} (HTTP {f.LastStatus?.ToString(CultureInfo.InvariantCulture) ?? "-"}): {f.LastError}; next try {Display.Time(f.NextPollAt)}"
                    : f.LastSuccessAt is null ? "never polled" : $"ok, {f.ItemCount} items";
                await cli.Out.WriteLineAsync($"{f.Url}  last success {Display.Time(f.LastSuccessAt)}  {health}{(f.AllowPrivate ? "  (private network allowed)" : "")}");
            }

            await cli.Out.WriteLineAsync($"{list.Count} feed(s)");
            var queue = services.GetRequiredService<PollQueueClient>();
            var stats = await queue.GetStatsAsync(ct);
            if (stats.Length > 0)
            {
                await cli.Out.WriteLineAsync($"{stats.Length} poll message(s) waiting on {QueueNames.PollFeeds}, the oldest {Display.Age(stats.OldestAge)}");
            }

            if (stats.Poison > 0)
            {
                await cli.Out.WriteLineAsync($"{stats.Poison} poll message(s) failed every delivery ({QueueNames.PollFeedsPoison}); requeue them with: alerts feeds retry");
                foreach (var message in await queue.PeekPoisonAsync(ct))
                {
                    await cli.Out.WriteLineAsync($"  poison  {message.FeedUrl ?? "(unreadable message)"}  since {Display.Time(message.InsertedAt)}");
                }
            }

            return 0;
        }));
        return command;
    }

    private static CliCommand Add(CliContext cli)
    {
        var url = new Argument<string>("URL") { Description = "the feed's http(s) address" };
        var allowPrivate = new Option<bool>("--allow-private")
        {
            Description = "an intranet feed: allow this feed's host to be on a private network (every connection is still checked)",
        };
        var command = new CliCommand("add", "Watch a feed; refused at once when its address would be refused when polled") { url, allowPrivate };
        command.SetAction((parsed, ct) => cli.WithServicesAsync(async services =>
        {
            var (added, isNew) = await services.GetRequiredService<FeedService>().AddAsync(parsed.GetValue(url), parsed.GetValue(allowPrivate), ct);
            await cli.Out.WriteLineAsync(isNew ? $"added {added}" : $"already watched: {added}");
            return 0;
        }));
        return command;
    }

    private static CliCommand Remove(CliContext cli)
    {
        var url = new Argument<string>("URL") { Description = "the feed's address, as feeds list shows it" };
        var command = new CliCommand("remove", "Stop watching a feed") { url };
        command.SetAction((parsed, ct) => cli.WithServicesAsync(async services =>
        {
            var gone = parsed.GetValue(url)!;
            if (!await services.GetRequiredService<FeedService>().RemoveAsync(gone, ct))
            {
                throw new UsageException($"not a watched feed: {gone}");
            }

            await cli.Out.WriteLineAsync($"removed {gone}");
            return 0;
        }));
        return command;
    }

    private static CliCommand Import(CliContext cli)
    {
        var file = new Argument<string?>("OPML") { Description = "an OPML file", Arity = ArgumentArity.ZeroOrOne };
        var builtIn = new Option<bool>("--default") { Description = "the starting list of public news feeds on the subject that ships with Alerts" };
        var command = new CliCommand("import", "Watch every feed of an OPML file that is not watched yet") { file, builtIn };
        command.RequireExactlyOne(file, builtIn);
        command.SetAction((parsed, ct) => cli.WithServicesAsync(async services =>
        {
            await using var opml = parsed.GetValue(builtIn) ? Opml.Default() : File.OpenRead(parsed.GetValue(file)!);
            var import = await services.GetRequiredService<FeedService>().ImportOpmlAsync(opml, ct);
            await cli.Out.WriteLineAsync($"imported {import.Added} new feed(s) of {import.Feeds}");
            return 0;
        }));
        return command;
    }

    private static CliCommand Retry(CliContext cli)
    {
        var command = new CliCommand("retry", $"Requeue the poll messages that failed every delivery ({QueueNames.PollFeedsPoison}) on {QueueNames.PollFeeds}");
        command.SetAction((_, ct) => cli.WithServicesAsync(async services =>
        {
            var (requeued, dropped) = await services.GetRequiredService<PollQueueClient>().RetryPoisonAsync(ct);
            await cli.Out.WriteLineAsync($"requeued {requeued} feed(s) on {QueueNames.PollFeeds}" + (dropped > 0 ? $"; dropped {dropped} unreadable message(s)" : ""));
            return 0;
        }));
        return command;
    }

    private static CliCommand Export(CliContext cli)
    {
        var command = new CliCommand("export", "The watched feeds as OPML");
        command.SetAction((_, ct) => cli.WithServicesAsync(async services =>
        {
            await cli.Out.WriteLineAsync(await services.GetRequiredService<FeedService>().ExportOpmlAsync(ct));
            return 0;
        }));
        return command;
    }
}
