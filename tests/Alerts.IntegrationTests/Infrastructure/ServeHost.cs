using Alerts.Local;

namespace Alerts.IntegrationTests;

/// <summary><c>alerts serve</c> running in this process on a free loopback port, with clients for the admin and for anyone.</summary>
public sealed class ServeHost : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string SigningKey = "test-signing-key-0123456789-0123456789";

    private readonly CancellationTokenSource _stop;
    private readonly Task<int> _serve;

    private ServeHost(Task<int> serve, CancellationTokenSource stop, string url)
    {
        _serve = serve;
        _stop = stop;
        Url = url;
        Admin = new HttpClient { BaseAddress = new Uri(url) };
        Admin.DefaultRequestHeaders.Add("x-alerts-key", AdminKey);
        Anonymous = new HttpClient { BaseAddress = new Uri(url) };
    }

    public string Url { get; }

    public HttpClient Admin { get; }

    public HttpClient Anonymous { get; }

    /// <summary>What serve printed (its log goes to stdout too).</summary>
    public StringWriter Output { get; private init; } = new();

    /// <summary>Settings for a test's serve: its Azurite, the admin key, timers out of the way unless given.</summary>
    public static Dictionary<string, string?> Settings(string storage, string? outbox = null)
    {
        var settings = TestServices.Settings(storage, null, outbox);
        settings["Alerts:Api:AdminKey"] = AdminKey;
        settings["Alerts:Security:SigningKey"] = SigningKey;
        settings["Alerts:Api:PublicRequestsPerMinute"] = "10000";
        settings["Alerts:Schedules:Poll"] = "0 0 0 1 1 *";
        settings["Alerts:Schedules:Digest"] = "0 0 0 1 1 *";
        return settings;
    }

    public static async Task<ServeHost> StartAsync(Dictionary<string, string?> settings)
    {
        var url = $"http://127.0.0.1:{LocalTools.FreePort()}";
        var output = new StringWriter();
        var stop = new CancellationTokenSource();
        var serve = Task.Run(() => Alerts.Cli.AlertsCli.RunAsync(["serve", "--urls", url], TextWriter.Synchronized(output), TextWriter.Synchronized(output), stop.Token, settings));
        var host = new ServeHost(serve, stop, url) { Output = output };
        for (var i = 0; i < 300; i++)
        {
            if (serve.IsCompleted)
            {
                throw new InvalidOperationException($"alerts serve stopped during start ({await serve}): {output}");
            }

            try
            {
                if ((await host.Anonymous.GetAsync("/api/health")).IsSuccessStatusCode)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("alerts serve did not start in 30 s");
    }

    /// <summary>Stops serve like Ctrl+C; its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _serve.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_serve.IsCompleted)
        {
            await StopAsync();
        }

        Admin.Dispose();
        Anonymous.Dispose();
        _stop.Dispose();
    }
}
