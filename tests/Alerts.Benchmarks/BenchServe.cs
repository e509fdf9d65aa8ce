using Alerts.Cli;
using Alerts.Local;

namespace Alerts.Benchmarks;

/// <summary>
/// <c>alerts serve</c> in this process on a free loopback port for the benchmarks that time its HTTP API:
/// every schedule idle (no poll, digest or prune runs into the measurement), warnings only, an admin key.
/// </summary>
internal sealed class BenchServe : IAsyncDisposable
{
    private const string Never = "0 0 0 1 1 *"; // midnight on 1 January: never during a run

    private readonly CancellationTokenSource _stop;
    private readonly Task<int> _serve;

    private BenchServe(CancellationTokenSource stop, Task<int> serve, HttpClient client)
    {
        _stop = stop;
        _serve = serve;
        Client = client;
    }

    /// <summary>Sends the admin key with every request.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts serve against <paramref name="connectionString"/> and waits (at most 30 s) until <c>/api/health</c> answers.</summary>
    public static async Task<BenchServe> StartAsync(string connectionString, int maxConnectionsPerServer = int.MaxValue)
    {
        var url = $"http://127.0.0.1:{LocalTools.FreePort()}";
        var settings = new Dictionary<string, string?>
        {
            ["Alerts:Storage:ConnectionString"] = connectionString,
            ["Alerts:Api:AdminKey"] = "bench",
            ["Alerts:Schedules:Poll"] = Never,
            ["Alerts:Schedules:Digest"] = Never,
            ["Alerts:Schedules:Prune"] = Never,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var stop = new CancellationTokenSource();
        var serve = Task.Run(() => AlertsCli.RunAsync(["serve", "--urls", url], TextWriter.Null, TextWriter.Null, stop.Token, settings));
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnectionsPerServer }) { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Add("x-alerts-key", "bench");
        var started = new BenchServe(stop, serve, client);
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await client.GetAsync("/api/health")).IsSuccessStatusCode)
                {
                    return started;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        await started.DisposeAsync();
        throw new InvalidOperationException("alerts serve did not start");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _serve;
        Client.Dispose();
        _stop.Dispose();
    }
}
