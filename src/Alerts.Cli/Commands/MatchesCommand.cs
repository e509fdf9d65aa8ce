using System.CommandLine;
using System.Globalization;
using Alerts.Cli.CommandLine;
using Alerts.Core.Matches;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Cli.Commands;

/// <summary><c>alerts matches</c>: an adapter over <see cref="MatchService"/> (the "since" and paging rules live there).</summary>
internal static class MatchesCommand
{
    public static Command Create(CliContext cli)
    {
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = "only matches published (or stored) since then: an ISO 8601 date or time",
            HelpName = "DATE",
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                var parsed = MatchService.ParseSince(text);
                if (parsed is null)
                {
                    result.AddError($"--since '{text}' is not a date (use ISO 8601, e.g. 2026-11-01)");
                }

                return parsed;
            },
        };
        var watchlist = new Option<string>("--watchlist") { Description = "only this watchlist's matches", HelpName = "NAME" };
        var max = new Option<int>("--max")
        {
            Description = "at most this many, newest first",
            HelpName = "N",
            DefaultValueFactory = _ => 100,
            // The range is MatchService's rule; here only "is it a number", so the message names the option, not a .NET type.
            CustomParser = result => int.TryParse(result.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : AddError(result, $"--max '{result.Tokens[0].Value}' is not a whole number"),
        };
        var json = new Option<bool>("--json") { Description = "one JSON object a line, as GET /api/matches answers" };
        var command = new CliCommand("matches", "What matched and why, newest first") { since, watchlist, max, json };
        command.SetAction((parsed, ct) => cli.WithServicesAsync(async services =>
        {
            var asJson = parsed.GetValue(json);
            var page = await services.GetRequiredService<MatchService>().ListAsync(new MatchQuery(parsed.GetValue(watchlist), parsed.GetValue(since), parsed.GetValue(max)), ct);
            foreach (var match in page.Items)
            {
                if (asJson)
                {
                    await cli.Out.WriteLineAsync(CliJson.Line(match));
                }
                else
                {
                    await cli.Out.WriteLineAsync($"{Display.Time(match.PublishedAt ?? match.MatchedAt)}  {match.Score,5:0.0}  {match.Title}");
                    await cli.Out.WriteLineAsync($"      {string.Join(", ", match.Entities)} | {string.Join(", ", match.Topics)} | {match.Link}");
                }
            }

            if (!asJson)
            {
                await cli.Out.WriteLineAsync($"{page.Items.Count} match(es)");
            }

            return 0;
        }));
        return command;
    }

    private static int AddError(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return 0;
    }
}
