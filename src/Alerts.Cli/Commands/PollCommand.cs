using System.CommandLine;
using Alerts.Cli.CommandLine;
using Alerts.Core.Digests;
using Alerts.Core.Feeds;
using Alerts.Core.Polling;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Alerts.Cli.Commands;

/// <summary>
/// <c>alerts poll</c>: one poll cycle now. Stdout gets one line per feed and a summary, nothing else
/// (logs go to stderr); on a terminal a progress bar runs over the cycle.
/// </summary>
internal static class PollCommand
{
    public static Command Create(CliContext cli)
    {
        var once = new Option<bool>("--once") { Description = "one cycle, then exit (what poll always does; a schedule is serve's job)" };
        var command = new CliCommand("poll", "Poll every feed that is due, then send the digests that are due; one line per feed and a summary") { once };
        command.SetAction((_, ct) => cli.WithServicesAsync(services => RunAsync(services, cli, ct)));
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, CliContext cli, CancellationToken cancellationToken)
    {
        var feeds = await services.GetRequiredService<FeedService>().ListAsync(cancellationToken);
        if (feeds.Count == 0)
        {
            await cli.Out.WriteLineAsync("no feeds configured; add one with: alerts feeds add URL");
            return 0;
        }

        var cycle = services.GetRequiredService<PollCycle>();
        var (summary, digests) = cli.Terminal is { } terminal
            ? await WithProgressAsync(terminal, cycle, feeds.Count(f => PollService.IsDue(f.NextPollAt, services.GetRequiredService<TimeProvider>().GetUtcNow())), cancellationToken)
            : await cycle.RunAsync(new SynchronousProgress<FeedPollResult>(r => cli.Out.WriteLine(Line(r))), cancellationToken);

        await cli.Out.WriteLineAsync(summary.ToString());
        if (digests.Sent + digests.Failed > 0)
        {
            await DigestCommand.WriteOutcomeAsync(cli.Out, digests);
            await cli.Out.WriteLineAsync($"{digests.Sent} digest(s) sent, {digests.Failed} failed");
        }

        // Every polled feed failing is the cycle failing (the network, a proxy, the SSRF settings), not news.
        var allFailed = summary.Feeds > 0 && summary.Failed == summary.Feeds;
        return allFailed || digests.Failed > 0 ? 1 : 0;
    }

    /// <summary>One feed's outcome, the same words on a terminal and in a pipe.</summary>
    internal static string Line(FeedPollResult r) => r.Ok
        ? $"ok    {r.FeedUrl}  {Detail(r)}"
        : $"FAIL  {r.FeedUrl}  {r.Error}";

    private static string Detail(FeedPollResult r) =>
        r.NotModified ? "not modified" : $"{r.Items} items, {r.NewItems} new, {r.NewMatches} new matches";

    private static async Task<(PollSummary, DigestSummary)> WithProgressAsync(IAnsiConsole terminal, PollCycle cycle, int due, CancellationToken cancellationToken) =>
        await terminal.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"polling {due} feed(s)", maxValue: Math.Max(due, 1));
                var progress = new SynchronousProgress<FeedPollResult>(r =>
                {
                    // Lines go above the live bar; the bar stays at the bottom until the cycle ends.
                    if (r.Ok)
                    {
                        terminal.MarkupLineInterpolated($"[green]ok[/]    {r.FeedUrl}  {Detail(r)}");
                    }
                    else
                    {
                        terminal.MarkupLineInterpolated($"[red]FAIL[/]  {r.FeedUrl}  {r.Error}");
                    }


                    task.Increment(1);
                    if (task.Value >= task.MaxValue)
                    {
                        task.Description = "sending due digests";
                    }
                });
                return await cycle.RunAsync(progress, cancellationToken);
            });
}
