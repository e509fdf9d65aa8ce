using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alerts.IntegrationTests;

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

    /// <summary>Answers <paramref name="path"/> with an RSS body after <paramref name="delay"/>: long enough for two pollers to be at one feed at once.</summary>
    public string ServeSlowly(string path, byte[] body, TimeSpan delay) => Handle(path, async context =>
    {
        await Task.Delay(delay, context.RequestAborted);
        context.Response.ContentType = "application/rss+xml";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
