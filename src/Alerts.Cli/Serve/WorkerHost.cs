using Alerts.Core;
using Alerts.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Alerts.Cli.Serve;

/// <summary>
/// <c>alerts worker</c>: only the <c>poll-feeds</c> consumer (<see cref="PollQueueWorker"/>), with the
/// same services and settings as <c>alerts serve</c>. Several of them on one machine behave as several
/// Functions instances: they share the queue, the feed claims and the per-host leases in storage.
/// It does not start Azurite: it joins storage that <c>alerts serve</c> (or Azure) provides.
/// </summary>
internal static class WorkerHost
{
    public static async Task<int> RunAsync(IConfiguration configuration, TextWriter stdout, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("System.Net.Http", LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        // Logs go to stderr: stdout says only that the worker started and stopped.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddAlerts(builder.Configuration);
        builder.Services.AddHostedService<PollQueueWorker>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        using var host = builder.Build();
        host.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        // Storage must answer before the worker says it runs: a wrong setting is one line and exit 1, not a silent retry loop.
        await host.Services.GetRequiredService<QueueStorage>().GetAsync(QueueNames.PollFeeds, cancellationToken);
        await host.StartAsync(cancellationToken);
        await stdout.WriteLineAsync($"worker consuming {QueueNames.PollFeeds} (process {Environment.ProcessId}); Ctrl+C to stop");
        using (cancellationToken.Register(() => host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication()))
        {
            await host.WaitForShutdownAsync(CancellationToken.None);
        }

        await stdout.WriteLineAsync("stopped");
        return 0;
    }
}
