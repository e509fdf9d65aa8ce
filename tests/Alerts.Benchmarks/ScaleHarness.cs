using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Alerts.Core;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Alerts.Local;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alerts.Benchmarks;

/// <summary>
/// The multi-process scale run (BenchmarkDotNet measures one process; this measures several):
/// N feeds × 20 items served from loopback by this process, on H loopback addresses (hosts), polled into
/// a fresh in-memory Azurite by (a) today's in-process cycle, <c>alerts poll</c>, as the baseline, and (b)
/// the queue path with 1, 2 and 4 <c>alerts worker</c> processes. Each scenario runs two cycles:
/// the first finds every item new; in the second 60 % of feeds answer 304, 32 % have 5 new items, and in
/// both 5 % are slow (2 s) and 3 % fail (500). Per cycle it reports feeds/s, storage requests per feed
/// (= billed transactions), allocations per item, the workers' peak working set, and CPU time of the
/// workers, of this process (feed server) and of Azurite's table and queue processes.
/// <code>dotnet run -c Release --project tests/Alerts.Benchmarks -- scale --feeds 10000 --workers 1,2,4</code>
/// </summary>
internal static partial class ScaleHarness
{
    private const int ItemsPerFeed = 20;

    public static async Task RunAsync(string[] args)
    {
        var feeds = Option(args, "--feeds", 10_000);
        var hosts = Option(args, "--hosts", 200);
        var workers = (OptionText(args, "--workers") ?? "1,2,4").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToList();
        var baseline = !args.Contains("--no-baseline");
        // Today's cycle as built from main (e.g. a worktree of it): it reports no resources line, so its CPU and peak working set are sampled from /proc.
        var mainCli = OptionText(args, "--main-cli");
        var alerts = Path.Combine(LocalTools.FindRepositoryRoot(), "src", "Alerts.Cli", "bin", "Release", "net10.0", "alerts.dll");
        if (!File.Exists(alerts))
        {
            throw new InvalidOperationException($"build the CLI first: dotnet build -c Release src/Alerts.Cli ({alerts} is missing)");
        }

        Console.WriteLine($"// {feeds} feeds × {ItemsPerFeed} items on {hosts} loopback hosts; {Environment.ProcessorCount} cores; load before: {LoadAverage()}");
        await using var server = await FeedServer.StartAsync(feeds, hosts);
        Console.WriteLine($"// feeds built: {server.Bytes / (1024 * 1024)} MiB for cycle 1, mean {server.Bytes / feeds} B a feed");
        Console.WriteLine("| scenario | cycle | feeds | wall s | feeds/s | new items | table tx / feed | queue tx / feed | alloc / feed (KiB) | alloc / new item (KiB) | peak WS / process (MB) | CPU s: pollers / feed server / Azurite tables / Azurite queues |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        if (mainCli is not null)
        {
            await RunScenarioAsync(mainCli, server, feeds, 0, "in-process `alerts poll`, main (baseline)");
        }

        List<int> scenarios = baseline ? [0, .. workers] : workers;
        foreach (var count in scenarios)
        {
            await RunScenarioAsync(alerts, server, feeds, count, null);
        }

        Console.WriteLine($"// load after: {LoadAverage()}");
    }

    /// <param name="workers">0: the in-process baseline.</param>
    private static async Task RunScenarioAsync(string alerts, FeedServer server, int feedCount, int workers, string? label)
    {
        await using var azurite = await Azurite.StartAsync(0, null, CancellationToken.None);
        var settings = new Dictionary<string, string?>
        {
            ["Alerts:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Alerts:Fetch:AllowPrivateNetworks"] = "true",
            ["Alerts:Fetch:Concurrency"] = "16",
            ["Alerts:Queue:Mode"] = "Queue",
            ["Alerts:Diagnostics:ReportResources"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        using var services = Services(settings);
        await AddFeedsAsync(azurite.ConnectionString, server.Urls);
        var name = label ?? (workers == 0 ? "in-process `alerts poll`, this branch" : $"queue, {workers} worker process(es)");
        for (var cycle = 1; cycle <= 2; cycle++)
        {
            server.Version = cycle;
            var azuriteCpu = (Cpu(azurite.ProcessIds.Tables), Cpu(azurite.ProcessIds.Queues));
            var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var harnessTables = StorageRequests.Tables;
            var harnessQueues = StorageRequests.Queues;
            var started = Stopwatch.StartNew();
            List<Resources> used;
            if (workers == 0)
            {
                used = [await RunToExitAsync(alerts, settings, "poll")];
            }
            else
            {
                var running = new List<(Process Process, Task<Resources> Resources)>();
                for (var w = 0; w < workers; w++)
                {
                    running.Add(await StartWorkerAsync(alerts, settings));
                }

                started.Restart(); // the cycle: from the timer's dispatch until the queue is empty
                await services.GetRequiredService<PollDispatcher>().RunAsync(CancellationToken.None);
                await DrainAsync(services);
                started.Stop();
                foreach (var (process, _) in running)
                {
                    Interrupt(process.Id);
                }

                used = [.. await Task.WhenAll(running.Select(r => r.Resources))];
            }

            started.Stop();
            var cpuAfter = (Cpu(azurite.ProcessIds.Tables), Cpu(azurite.ProcessIds.Queues), Process.GetCurrentProcess().TotalProcessorTime);
            var state = await FeedStateAsync(azurite.ConnectionString);
            var newItems = used.Sum(u => u.NewItems);
            var tables = used.Sum(u => u.TableRequests) + (StorageRequests.Tables - harnessTables);
            var queues = used.Sum(u => u.QueueRequests) + (StorageRequests.Queues - harnessQueues);
            var measured = used.All(u => u.Allocated >= 0);
            var cpu = $"{used.Sum(u => u.CpuMs) / 1000.0:0} / {(cpuAfter.Item3 - ownCpu).TotalSeconds:0} / {(cpuAfter.Item1 - azuriteCpu.Item1).TotalSeconds:0} / {(cpuAfter.Item2 - azuriteCpu.Item2).TotalSeconds:0}";
            Console.WriteLine(FormattableString.Invariant(
                $"| {name} | {(cycle == 1 ? "1 (all new)" : "2 (60 % 304)")} | {state.Attempted} ({state.Failing} failing) | {started.Elapsed.TotalSeconds:0.0} | {state.Attempted / started.Elapsed.TotalSeconds:0} | {newItems} | {(measured ? $"{tables / (double)feedCount:0.00}" : "—")} | {(measured ? $"{queues / (double)feedCount:0.00}" : "—")} | {(measured ? $"{used.Sum(u => u.Allocated) / 1024.0 / feedCount:0}" : "—")} | {(measured && newItems > 0 ? $"{used.Sum(u => u.Allocated) / 1024.0 / newItems:0.0}" : "—")} | {used.Max(u => u.PeakWorkingSet) / (1024 * 1024)} | {cpu} |"));
        }
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)).AddAlerts(configuration).BuildServiceProvider();
    }

    /// <summary>Feed rows straight into the table, a hundred a transaction (adding 10,000 one by one would take longer than a cycle).</summary>
    private static async Task AddFeedsAsync(string connectionString, IReadOnlyList<string> urls)
    {
        var table = new TableClient(connectionString, Tables.Feeds);
        await table.CreateIfNotExistsAsync();
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(urls.Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, ct) =>
            await table.SubmitTransactionAsync(chunk.Select(u => new TableTransactionAction(TableTransactionActionType.Add, new FeedEntity { RowKey = FeedStore.KeyOf(u), Url = u, AddedAt = now })), ct));
    }

    private static async Task DrainAsync(IServiceProvider services)
    {
        var queue = await services.GetRequiredService<QueueStorage>().GetAsync(QueueNames.PollFeeds, CancellationToken.None);
        while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
        {
            await Task.Delay(500);
        }
    }

    private static async Task<(int Attempted, int Failing)> FeedStateAsync(string connectionString)
    {
        var table = new TableClient(connectionString, Tables.Feeds);
        int attempted = 0, failing = 0;
        await foreach (var feed in table.QueryAsync<FeedEntity>(select: [nameof(FeedEntity.LastAttemptAt), nameof(FeedEntity.ConsecutiveFailures)]))
        {
            attempted += feed.LastAttemptAt is null ? 0 : 1;
            failing += feed.ConsecutiveFailures > 0 ? 1 : 0;
        }

        return (attempted, failing);
    }

    private sealed record Resources(long Allocated, long PeakWorkingSet, long CpuMs, long TableRequests, long QueueRequests, long NewItems);

    [GeneratedRegex(@"allocated=(\d+) peak_working_set=(\d+) cpu_ms=(\d+) table_requests=(\d+) queue_requests=(\d+) new_items=(\d+)")]
    private static partial Regex ResourcesLine();

    /// <summary>The new-item count in <c>alerts poll</c>'s summary line (main's CLI reports no resources).</summary>
    [GeneratedRegex(@"item\(s\), (\d+) new,")]
    private static partial Regex SummaryNewItems();

    private static ProcessStartInfo Start(string alerts, Dictionary<string, string?> settings, string command)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(alerts);
        start.ArgumentList.Add(command);
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }

    private static async Task<Resources> RunToExitAsync(string alerts, Dictionary<string, string?> settings, string command)
    {
        using var process = Process.Start(Start(alerts, settings, command))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var (cpu, peak) = (TimeSpan.Zero, 0L);
        while (!process.HasExited)
        {
            try
            {
                cpu = Cpu(process.Id);
                peak = Math.Max(peak, PeakWorkingSet(process.Id));
            }
            catch (IOException)
            {
            }

            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(250));
        }

        var output = await stdout;
        var text = await stderr;
        var summary = SummaryNewItems().Match(output);
        return ResourcesLine().IsMatch(text)
            ? Parse(text)
            : new Resources(-1, peak, (long)cpu.TotalMilliseconds, -1, -1, summary.Success ? long.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    /// <summary>VmHWM of a running process, in bytes (Linux).</summary>
    private static long PeakWorkingSet(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static async Task<(Process, Task<Resources>)> StartWorkerAsync(string alerts, Dictionary<string, string?> settings)
    {
        var process = Process.Start(Start(alerts, settings, "worker"))!;
        var ready = await process.StandardOutput.ReadLineAsync();
        if (ready?.StartsWith("worker consuming", StringComparison.Ordinal) != true)
        {
            throw new InvalidOperationException($"alerts worker did not start: {ready} {await process.StandardError.ReadToEndAsync()}");
        }

        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        return (process, Task.Run(async () =>
        {
            await process.WaitForExitAsync();
            var resources = Parse(await stderr);
            process.Dispose();
            return resources;
        }));
    }

    private static Resources Parse(string stderr)
    {
        var m = ResourcesLine().Match(stderr);
        if (!m.Success)
        {
            throw new InvalidOperationException($"no resources line from alerts: {stderr[^Math.Min(stderr.Length, 2000)..]}");
        }

        long L(int i) => long.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
        return new Resources(L(1), L(2), L(3), L(4), L(5), L(6));
    }

    private static void Interrupt(int pid)
    {
        // SIGTERM, not SIGINT: a harness started in the background (`cmd &`) passes SIGINT on as ignored, and
        // .NET keeps an inherited ignore, so the workers would never hear it. Both stop the worker the same way.
        using var kill = Process.Start("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>User plus system CPU time of a process, from /proc (Linux).</summary>
    private static TimeSpan Cpu(int pid)
    {
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";

    private static int Option(string[] args, string name, int fallback) => OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>The loopback feed server: feed n on host 127.0.1.(n mod H + 1); version 2 of 40 % of the feeds has 5 new items.</summary>
    private sealed class FeedServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly byte[][] _v1;
        private readonly byte[]?[] _v2;

        private FeedServer(WebApplication app, byte[][] v1, byte[]?[] v2, List<string> urls)
        {
            _app = app;
            _v1 = v1;
            _v2 = v2;
            Urls = urls;
        }

        public IReadOnlyList<string> Urls { get; }

        public long Bytes => _v1.Sum(b => (long)b.Length);

        /// <summary>Which cycle is being served.</summary>
        public int Version { get; set; } = 1;

        public static async Task<FeedServer> StartAsync(int feeds, int hosts)
        {
            var bench = new BenchFeeds(ItemsPerFeed);
            var v1 = new byte[feeds][];
            var v2 = new byte[]?[feeds];
            Parallel.For(0, feeds, n =>
            {
                v1[n] = bench.Build(n, 1);
                v2[n] = Changes(n) ? bench.Build(n, 2) : null;
            });
            var port = LocalTools.FreePort();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k =>
            {
                for (var h = 1; h <= hosts; h++)
                {
                    k.Listen(IPAddress.Parse($"127.0.1.{h}"), port);
                }
            });
            var app = builder.Build();
            FeedServer? server = null;
            app.MapGet("/feed/{n:int}.xml", async (int n, HttpContext context) =>
            {
                if (Kind(n) < 3)
                {
                    return Results.StatusCode(500); // failing
                }

                if (Kind(n) is >= 3 and < 8)
                {
                    await Task.Delay(2000, context.RequestAborted); // slow
                }

                var body = server!.Version >= 2 && server._v2[n] is { } changed ? changed : server._v1[n];
                var etag = $"\"v{(ReferenceEquals(body, server._v1[n]) ? 1 : 2)}-{n}\"";
                if (context.Request.Headers.IfNoneMatch == etag)
                {
                    return Results.StatusCode(304);
                }

                context.Response.Headers.ETag = etag;
                return Results.Bytes(body, "application/rss+xml");
            });
            await app.StartAsync();
            var urls = Enumerable.Range(0, feeds).Select(n => $"http://127.0.1.{(n % hosts) + 1}:{port}/feed/{n}.xml").ToList();
            server = new FeedServer(app, v1, v2, urls);
            return server;
        }

        /// <summary>40 % of the working feeds move on between the cycles (37 % of all); with the slow ones (unchanged), 60 % answer 304.</summary>
        private static bool Changes(int n) => Kind(n) >= 8 && n % 5 < 2;

        /// <summary>0–99, spread over the hosts (not n mod 100, which would put every slow feed on the same few hosts).</summary>
        private static int Kind(int n) => (int)((uint)(n * 2654435761u) % 100);

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
