using System.CommandLine;
using Alerts.Cli.CommandLine;
using Alerts.Core.Matching;
using Alerts.Core.Watchlists;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Cli.Commands;

/// <summary><c>alerts watchlists</c>: an adapter over <see cref="WatchlistService"/> (compile check, ETag and audit live there).</summary>
internal static class WatchlistsCommand
{
    /// <summary>How many changes <c>history</c> shows.</summary>
    private const int HistoryLength = 50;

    public static Command Create(CliContext cli) => new CliCommand("watchlists", "Manage the watchlists")
    {
        List(cli),
        Show(cli),
        Import(cli),
        Export(cli),
        History(cli),
    };

    /// <summary>Who the audit names for a change made from this command line.</summary>
    internal static string Who => $"{Environment.UserName}@{Environment.MachineName} (cli)";

    private static CliCommand List(CliContext cli)
    {
        var command = new CliCommand("list", "The watchlists in force, the built-in default among them");
        command.SetAction((_, ct) => cli.WithServicesAsync(async services =>
        {
            foreach (var w in await services.GetRequiredService<WatchlistService>().ListAsync(ct))
            {
                await cli.Out.WriteLineAsync($"{w.Name}  {w.EntityGroups.Count} entity groups, {w.Topics.Count} topics, {w.Terms} terms  {w.Description}");
            }

            return 0;
        }));
        return command;
    }

    private static CliCommand Show(CliContext cli)
    {
        var name = NameArgument();
        var command = new CliCommand("show", "What a watchlist watches for, in a few lines (export gives the JSON)") { name };
        command.SetAction((parsed, ct) => cli.WithServicesAsync(async services =>
        {
            var found = await GetAsync(services, parsed.GetValue(name)!, ct);
            var w = found.Watchlist;
            await cli.Out.WriteLineAsync($"{w.Name}{(found.BuiltIn ? "  (built-in)" : "")}  version {found.ETag}");
            if (!string.IsNullOrWhiteSpace(w.Description))
            {
                await cli.Out.WriteLineAsync($"  {w.Description}");
            }

            await cli.Out.WriteLineAsync($"  entities: {Groups(w.Entities)}");
            await cli.Out.WriteLineAsync($"  topics:   {Groups(w.Topics)}");
            await cli.Out.WriteLineAsync($"  rule:     {w.Rule.MinEntityGroups} entity group(s) and {w.Rule.MinTopicGroups} topic group(s) within the {w.Rule.Scope.ToString().ToLowerInvariant()}, score at least {w.Rule.MinScore:0.##}");
            await cli.Out.WriteLineAsync($"  {w.Links.Count} words of dealing, {w.ThirdParties.Count} third parties, {w.Exclusions.Count} exclusions");
            return 0;
        }));
        return command;
    }

    private static CliCommand Import(CliContext cli)
    {
        var file = new Argument<string>("FILE") { Description = "a watchlist JSON file (as export writes it); its name says which watchlist it creates or replaces" };
        var command = new CliCommand("import", "Create or replace a watchlist from a file; checked, and recorded in the audit") { file };
        command.SetAction((parsed, ct) => cli.WithServicesAsync(async services =>
        {
            var watchlist = WatchlistJson.Parse(await File.ReadAllTextAsync(parsed.GetValue(file)!, ct));
            var write = await services.GetRequiredService<WatchlistService>().ImportAsync(watchlist, Who, ct);
            if (write.Status is not (WatchlistWriteStatus.Created or WatchlistWriteStatus.Updated))
            {
                throw new UsageException($"watchlist '{watchlist.Name}' changed while it was imported; run the import again");
            }

            await cli.Out.WriteLineAsync($"imported watchlist '{watchlist.Name}' ({(write.Status == WatchlistWriteStatus.Created ? "new" : "replaced the version in force")})");
            return 0;
        }));
        return command;
    }

    private static CliCommand Export(CliContext cli)
    {
        var name = NameArgument();
        var command = new CliCommand("export", "A watchlist as JSON to edit and import again (UTF-8, every script as written)") { name };
        command.SetAction((parsed, ct) => cli.WithServicesAsync(async services =>
        {
            var found = await GetAsync(services, parsed.GetValue(name)!, ct);
            await cli.Out.WriteLineAsync(CliJson.Write(found.Watchlist));
            return 0;
        }));
        return command;
    }

    private static CliCommand History(CliContext cli)
    {
        var name = NameArgument();
        var command = new CliCommand("history", $"Who changed a watchlist and when, newest first (the last {HistoryLength})") { name };
        command.SetAction((parsed, ct) => cli.WithServicesAsync(async services =>
        {
            foreach (var change in await services.GetRequiredService<WatchlistService>().HistoryAsync(parsed.GetValue(name)!, HistoryLength, ct))
            {
                await cli.Out.WriteLineAsync($"{Display.Time(change.When)}  {change.Action,-6}  {change.Who}");
            }

            return 0;
        }));
        return command;
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "the watchlist's name (default is the built-in one)" };

    private static async Task<WatchlistVersion> GetAsync(IServiceProvider services, string name, CancellationToken cancellationToken) =>
        await services.GetRequiredService<WatchlistService>().GetAsync(name, cancellationToken) ?? throw new UsageException($"no watchlist named '{name}'");

    private static string Groups(IEnumerable<TermGroup> groups) =>
        string.Join("; ", groups.Select(g => $"{g.Name} ({string.Join(", ", g.Aliases.Take(4))}{(g.Aliases.Count > 4 ? $", … {g.Aliases.Count} in all" : "")})"));
}
