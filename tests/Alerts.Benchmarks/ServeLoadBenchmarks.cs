using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Alerts.Local;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Alerts.Benchmarks;

/// <summary>
/// Load on <c>alerts serve</c> over loopback: 32 clients post to <c>/api/check</c>, 4,000 requests per
/// operation; news-sized text (a seed article, ~3 KB) against a one-line baseline. Each iteration prints
/// requests/s, p50/p99 latency and the process's working set, which must stay flat.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class ServeLoadBenchmarks
{
    private const int Requests = 4_000;
    private const int Clients = 32;

    private Azurite _azurite = null!;
    private BenchServe _serve = null!;
    private string _article = "";

    [Params("news article", "one line")]
    public string Body { get; set; } = "news article";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _azurite = await Azurite.StartAsync(0, null, CancellationToken.None);
        _article = Texts.Load("seeds")[1];
        _serve = await BenchServe.StartAsync(_azurite.ConnectionString, maxConnectionsPerServer: Clients);
    }

    [Benchmark(OperationsPerInvoke = Requests)]
    public void PostCheck() => RunAsync().GetAwaiter().GetResult();

    private async Task RunAsync()
    {
        var payload = Body == "news article" ? new { text = _article } : new { text = "Iran sends drones to Russia" };
        var latencies = new ConcurrentBag<double>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < Requests)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await _serve.Client.PostAsJsonAsync("/api/check", payload);
                response.EnsureSuccessStatusCode();
                await response.Content.LoadIntoBufferAsync();
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        clock.Stop();
        var sorted = latencies.Order().ToArray();
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"// Load[{Body}]: {Requests / clock.Elapsed.TotalSeconds:0} requests/s, p50 {sorted[sorted.Length / 2]:0.00} ms, p99 {sorted[(int)(sorted.Length * 0.99)]:0.00} ms, working set {process.WorkingSet64 / (1024 * 1024)} MB");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _serve.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _azurite.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
