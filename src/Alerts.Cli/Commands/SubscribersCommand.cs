using System.CommandLine;
using Alerts.Cli.CommandLine;
using Alerts.Core.Subscribers;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Cli.Commands;

/// <summary><c>alerts subscribers</c>: an adapter over <see cref="SubscriberService"/> (validation and opt-in live there).</summary>
internal static class SubscribersCommand
{
    public static Command Create(CliContext cli) => new CliCommand("subscribers", "Manage the subscribers")
    {
        List(cli),
        Add(cli),
        Remove(cli),
    };

    private static CliCommand List(CliContext cli)
    {
        var json = new Option<bool>("--json") { Description = "one JSON object a line, as GET /api/subscribers answers" };
        var command = new CliCommand("list", "The subscribers, their watchlists, cadence and last digest") { json };
        command.SetAction((parsed, ct) => cli.WithServicesAsync(async services =>
        {
            var all = await services.GetRequiredService<SubscriberService>().ListAsync(ct);
            foreach (var s in all)
            {
                await cli.Out.WriteLineAsync(parsed.GetValue(json)
                    ? CliJson.Line(s)
                    : $"{s.Email}  {string.Join(",", s.Watchlists)}  {s.Cadence} {s.TimeZone}  {(s.Confirmed ? "confirmed" : "unconfirmed")}{(s.ChangePending ? ", change pending" : "")}  last digest {Display.Time(s.LastDigestAt)}");
            }

            if (!parsed.GetValue(json))
            {
                await cli.Out.WriteLineAsync($"{all.Count} subscriber(s)");
            }

            return 0;
        }));
        return command;
    }

    private static CliCommand Add(CliContext cli)
    {
        var email = new Argument<string>("EMAIL") { Description = "the subscriber's address" };
        var watchlists = new Option<string>("--watchlist") { Description = "the watchlists to follow, separated by commas (default: default)", HelpName = "N[,N]" };
        var cadence = new Option<string>("--cadence") { Description = "immediate, daily[@HH] or weekly[@day] (default: daily@08)", HelpName = "C" };
        var timeZone = new Option<string>("--timezone") { Description = "an IANA time zone for the cadence, e.g. Europe/Berlin (default: UTC)", HelpName = "TZ" };
        var name = new Option<string>("--name") { Description = "the subscriber's name, for the greeting", HelpName = "NAME" };
        var confirm = new Option<bool>("--confirm") { Description = "email a confirmation link instead of adding them confirmed (double opt-in)" };
        var command = new CliCommand("add", "Add or update a subscriber, confirmed at once (or with --confirm, after they click a link)") { email, watchlists, cadence, timeZone, name, confirm };
        command.SetAction((parsed, ct) => cli.WithServicesAsync(async services =>
        {
            var subscribers = services.GetRequiredService<SubscriberService>();
            var request = new SubscriptionRequest(
                parsed.GetValue(email),
                parsed.GetValue(name),
                parsed.GetValue(watchlists)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                parsed.GetValue(cadence),
                parsed.GetValue(timeZone));
            if (parsed.GetValue(confirm))
            {
                // Double opt-in: the subscriber confirms through the emailed link.
                var sent = await subscribers.InviteAsync(request, ct);
                await cli.Out.WriteLineAsync(sent
                    ? $"confirmation link sent to {request.Email!.Trim()}"
                    : $"no email sent: {request.Email!.Trim()} had a confirmation email less than {SubscriptionService.ConfirmationInterval.TotalMinutes:0} minutes ago (or {SubscriptionService.ConfirmationsPerDay} today)");
                return 0;
            }

            var (view, added) = await subscribers.AddConfirmedAsync(request, ct);
            await cli.Out.WriteLineAsync($"{(added ? "added" : "updated")} {view.Email} ({string.Join(",", view.Watchlists)}, {view.Cadence} {view.TimeZone})");
            return 0;
        }));
        return command;
    }

    private static CliCommand Remove(CliContext cli)
    {
        var email = new Argument<string>("EMAIL") { Description = "the subscriber's address" };
        var command = new CliCommand("remove", "Remove a subscriber") { email };
        command.SetAction((parsed, ct) => cli.WithServicesAsync(async services =>
        {
            var gone = parsed.GetValue(email)!;
            if (!await services.GetRequiredService<SubscriberService>().RemoveAsync(gone, ct))
            {
                throw new UsageException($"no subscriber {gone}");
            }

            await cli.Out.WriteLineAsync($"removed {gone}");
            return 0;
        }));
        return command;
    }
}
