using System.Collections.Concurrent;
using Alerts.Core;
using Alerts.Local;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

[assembly: AssemblyFixture(typeof(Alerts.IntegrationTests.PrismFixture))]

namespace Alerts.IntegrationTests;

internal static class Paths
{
    public static string RepositoryRoot { get; } = LocalTools.FindRepositoryRoot();

    /// <summary>The project's shared folder (seeds, corpus, SendGrid spec), which sits beside the repository.</summary>
    public static string Shared { get; } = Directory.Exists(Path.Combine(RepositoryRoot, "..", "shared"))
        ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"))
        : throw new DirectoryNotFoundException($"the shared folder (seeds, corpus, specs) is expected beside the repository at {Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"))}");

    /// <summary>The functions.metadata the Functions SDK generated when the solution was built in this configuration.</summary>
    public static string FunctionsMetadata
    {
        get
        {
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            return Path.Combine(RepositoryRoot, "src", "Alerts.Functions", "bin", configuration, "net10.0", "functions.metadata");
        }
    }
}

/// <summary>A real Azurite table service, in memory, on a free loopback port; one per test class.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? _azurite;

    public string ConnectionString => _azurite!.ConnectionString;

    /// <summary>Deletes every table, so each test starts from empty storage.</summary>
    public async Task ResetAsync()
    {
        var service = new Azure.Data.Tables.TableServiceClient(ConnectionString);
        await foreach (var table in service.QueryAsync())
        {
            await service.DeleteTableAsync(table.Name);
        }
    }

    public async ValueTask InitializeAsync() => _azurite = await Azurite.StartAsync(0, null, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

/// <summary>Prism serving SendGrid's own OpenAPI description: it validates every request like SendGrid would.</summary>
public sealed class PrismFixture : IAsyncLifetime
{
    private NodeProcess? _process;

    public string BaseUrl { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var script = await LocalTools.EnsureScriptAsync(Path.Combine("@stoplight", "prism-cli", "dist", "index.js"), CancellationToken.None);
        var spec = Path.Combine(Paths.Shared, "specs", "sendgrid", "mail-send.openapi.json");
        var port = LocalTools.FreePort();
        _process = await LocalTools.StartNodeAsync(script, ["mock", "-h", "127.0.0.1", "-p", port.ToString(), "--errors", spec], port, TimeSpan.FromSeconds(90), CancellationToken.None);
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}

/// <summary>Records every SendGrid exchange: status and Prism's sl-violations header.</summary>
public sealed class SendGridRecorder : DelegatingHandler
{
    public ConcurrentQueue<(int Status, string? Violations, string Body)> Exchanges { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        var violations = response.Headers.TryGetValues("sl-violations", out var v) ? string.Join(" ", v) : null;
        Exchanges.Enqueue(((int)response.StatusCode, violations, body));
        return response;
    }
}

/// <summary>The services from AddAlerts, configured against the test's Azurite and Prism.</summary>
public static class TestServices
{
    public static Dictionary<string, string?> Settings(string storage, string? sendGridHost, string? outbox = null) => new()
    {
        ["Alerts:Storage:ConnectionString"] = storage,
        ["Alerts:SendGrid:ApiKey"] = sendGridHost is null ? null : "SG.test-key-for-prism",
        ["Alerts:SendGrid:Host"] = sendGridHost ?? "https://api.sendgrid.com",
        ["Alerts:Email:From"] = "alerts@example.com",
        ["Alerts:Email:OutboxDirectory"] = outbox ?? Path.Combine(Path.GetTempPath(), "alerts-outbox-" + Guid.NewGuid().ToString("N")),
        ["Alerts:Fetch:AllowPrivateNetworks"] = "true",
    };

    public static ServiceProvider Build(Dictionary<string, string?> settings, SendGridRecorder? recorder = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddAlerts(configuration);
        if (recorder is not null)
        {
            services.AddHttpClient("sendgrid").AddHttpMessageHandler(() => recorder);
        }

        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }
}

/// <summary>A loopback HTTP server the test controls: serves feeds with ETag support, counts requests.</summary>
public sealed class FeedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string ContentType, byte[] Body)> _documents = new();
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _handlers = new();
    private int _inFlight;
    private int _maxInFlight;

    private FeedServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    private int _requests;
    private int _notModified;

    public int Requests => _requests;

    public int NotModified => _notModified;

    public static async Task<FeedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FeedServer(app);
        app.Run(async context =>
        {
            Interlocked.Increment(ref server._requests);
            var now = Interlocked.Increment(ref server._inFlight);
            InterlockedMax(ref server._maxInFlight, now);
            try
            {
                if (server._handlers.TryGetValue(context.Request.Path, out var handler))
                {
                    await handler(context);
                    return;
                }

                await server.ServeDocumentAsync(context);
            }
            finally
            {
                Interlocked.Decrement(ref server._inFlight);
            }
        });
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    /// <summary>The most requests this server had in flight at once.</summary>
    public int MaxInFlight => _maxInFlight;

    /// <summary>Answers <paramref name="path"/> with custom behaviour (slow, compressed, redirecting, ...).</summary>
    public string Handle(string path, Func<HttpContext, Task> handler)
    {
        _handlers[path] = handler;
        return BaseUrl + path;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private async Task ServeDocumentAsync(HttpContext context)
    {
        var server = this;
        if (!server._documents.TryGetValue(context.Request.Path, out var doc))
        {
            context.Response.StatusCode = 404;
            return;
        }

        var etag = $"\"{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(doc.Body))[..16]}\"";
        if (context.Request.Headers.IfNoneMatch == etag)
        {
            Interlocked.Increment(ref server._notModified);
            context.Response.StatusCode = 304;
            return;
        }

        context.Response.Headers.ETag = etag;
        context.Response.ContentType = doc.ContentType;
        await context.Response.Body.WriteAsync(doc.Body);
    }

    public string Serve(string path, string contentType, byte[] body)
    {
        _documents[path] = (contentType, body);
        return BaseUrl + path;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

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

/// <summary>Counts the storage requests the services make, by path (e.g. <c>Watchlists()</c> for queries of that table).</summary>
public sealed class StorageRequestCounter : Azure.Core.Pipeline.HttpPipelinePolicy
{
    private readonly ConcurrentQueue<string> _paths = new();

    public int Count(string pathContains) => _paths.Count(p => p.Contains(pathContains, StringComparison.Ordinal));

    /// <summary>Replaces the services' table client with one that reports to this counter.</summary>
    public void Install(IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value;
            var options = new Azure.Data.Tables.TableClientOptions();
            options.AddPolicy(this, Azure.Core.HttpPipelinePosition.PerCall);
            return new Azure.Data.Tables.TableServiceClient(storage.ConnectionString, options);
        });
    }

    public override async ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
    {
        _paths.Enqueue(message.Request.Uri.Path);
        await ProcessNextAsync(message, pipeline);
    }

    public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
    {
        _paths.Enqueue(message.Request.Uri.Path);
        ProcessNext(message, pipeline);
    }
}
