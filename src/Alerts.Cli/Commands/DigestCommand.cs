using System.CommandLine;
using Alerts.Cli.CommandLine;
using Alerts.Core.Digests;
using Alerts.Core.Storage;
using Alerts.Core.Subscribers;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Cli.Commands;

/// <summary><c>alerts digest</c>: send the digests that are due (or all, now), say where each went, list the ones in trouble.</summary>
internal static class DigestCommand
{
    public static Command Create(CliContext cli)
    {
        var now = new Option<bool>("--now") { Description = "send every confirmed subscriber a digest now, whatever their cadence" };
        var to = new Option<string>("--to") { Description = "only this subscriber", HelpName = "EMAIL" };
        to.Validators.Add(result =>
        {
            if (SubscriptionService.ValidEmail(result.GetValueOrDefault<string>()) is null)
            {
                result.AddError($"--to '{result.GetValueOrDefault<string>()}' is not a valid email address");
            }
        });

        var command = new CliCommand("digest", "Send the digests that are due (--now: to everyone now), say where each went, list digests that failed or could not be confirmed") { now, to };
        command.SetAction((parsed, ct) => cli.WithServicesAsync(services => RunAsync(services, cli.Out, parsed.GetValue(now), SubscriptionService.ValidEmail(parsed.GetValue(to)), ct)));
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, TextWriter stdout, bool now, string? to, CancellationToken cancellationToken)
    {
        var summary = await services.GetRequiredService<DigestService>().SendDueAsync(now, to, cancellationToken);
        await WriteOutcomeAsync(stdout, summary);
        await stdout.WriteLineAsync($"{summary.Sent} digest(s) sent, {summary.Skipped} with nothing due, {summary.Failed} failed ({summary.Subscribers} subscriber(s))");
        var trouble = await services.GetRequiredService<DigestStore>().ListTroubleAsync(cancellationToken);
        if (trouble.Count > 0)
        {
            await stdout.WriteLineAsync("digests that failed or could not be confirmed:");
            foreach (var d in trouble)
            {
                await stdout.WriteLineAsync($"{d.Status,-11} {d.To}  digest {d.RowKey} of {Display.Time(d.CreatedAt)}  {d.LastError}");
            }
        }

        if (to is not null && summary.Subscribers == 0)
        {
            throw new UsageException($"no confirmed subscriber {to}");
        }

        return summary.Failed > 0 ? 1 : 0;
    }

    /// <summary>Where each digest went (an .eml file, or the provider's message id), then each one that failed.</summary>
    internal static async Task WriteOutcomeAsync(TextWriter stdout, DigestSummary summary)
    {
        foreach (var sent in summary.Delivered)
        {
            await stdout.WriteLineAsync($"sent  {sent.To}  {Display.Count(sent.Stories, "story", "stories")}  {Where(sent.Where)}");
        }

        foreach (var error in summary.Errors)
        {
            await stdout.WriteLineAsync($"FAIL  {error}");
        }
    }

    /// <summary>The outbox writes files (a full path: shown relative to here when under it); a provider answers with a message id.</summary>
    private static string Where(string where) => Path.IsPathFullyQualified(where)
        ? $"written to {(where.StartsWith(Directory.GetCurrentDirectory() + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? Path.GetRelativePath(Directory.GetCurrentDirectory(), where) : where)}"
        : $"accepted, message id {where}";
}
