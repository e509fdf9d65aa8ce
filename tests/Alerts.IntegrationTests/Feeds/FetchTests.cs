using System.IO.Compression;
using System.Text;
using Alerts.Core.Feeds;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.IntegrationTests.Feeds;

/// <summary>Hostile and broken servers on loopback: every case ends as a clear per-feed error, quickly.</summary>
public sealed class FetchTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private ServiceProvider Services(int timeoutSeconds = 5, long maxBytes = 1024 * 1024, bool allowPrivate = true, int perHost = 2)
    {
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        settings["Alerts:Fetch:TimeoutSeconds"] = timeoutSeconds.ToString();
        settings["Alerts:Fetch:MaxBytes"] = maxBytes.ToString();
        settings["Alerts:Fetch:AllowPrivateNetworks"] = allowPrivate.ToString();
        settings["Alerts:Fetch:PerHostConcurrency"] = perHost.ToString();
        settings["Alerts:Fetch:Concurrency"] = "16";
        return TestServices.Build(settings);
    }

    private static async Task<ParsedFeed> FetchAndParseAsync(ServiceProvider services, string url)
    {
        var fetched = await services.GetRequiredService<FeedFetcher>().FetchAsync(url, null, null, TestContext.Current.CancellationToken);
        return fetched.Status == FetchStatus.Ok ? FeedParser.Parse(fetched.Body!, fetched.ContentType) : ParsedFeed.Fail(fetched.Error!);
    }

    [Fact]
    public async Task Fetch_GzipBomb_StoppedAtTheCapAfterDecompression()
    {
        await using var server = await FeedServer.StartAsync();
        var bomb = new MemoryStream();
        await using (var gzip = new GZipStream(bomb, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 200; i++)
            {
                gzip.Write(zeros);
            }
        }

        var compressed = bomb.ToArray();
        var url = server.Handle("/bomb.xml", async context =>
        {
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentType = "application/rss+xml";
            await context.Response.Body.WriteAsync(compressed);
        });
        await using var services = Services();

        var result = await FetchAndParseAsync(services, url);

        Assert.True(compressed.Length < 1024 * 1024, $"the bomb is {compressed.Length} bytes on the wire");
        Assert.Equal($"body exceeds the limit of {1024 * 1024} bytes (after decompression)", result.Error);
    }

    [Fact]
    public async Task Fetch_HundredMegabyteBody_RefusedWithoutReadingIt()
    {
        await using var server = await FeedServer.StartAsync();
        var chunk = new byte[64 * 1024];
        var url = server.Handle("/huge.xml", async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            for (var sent = 0L; sent < 100L * 1024 * 1024 && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        });
        var declared = server.Handle("/declared.xml", context =>
        {
            context.Response.ContentLength = 100L * 1024 * 1024;
            context.Abort();
            return Task.CompletedTask;
        });
        await using var services = Services();

        var streamed = await FetchAndParseAsync(services, url);
        var announced = await FetchAndParseAsync(services, declared);

        Assert.StartsWith("body exceeds the limit", streamed.Error);
        Assert.False(announced.Ok);
        Assert.DoesNotContain('\n', announced.Error!);
    }

    [Fact]
    public async Task Fetch_SlowDrip_TimesOut()
    {
        await using var server = await FeedServer.StartAsync();
        var url = server.Handle("/drip.xml", async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            for (var i = 0; i < 60 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.Body.WriteAsync("<"u8.ToArray(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(500, context.RequestAborted);
            }
        });
        await using var services = Services(timeoutSeconds: 2);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = await FetchAndParseAsync(services, url);

        Assert.Equal("timed out after 2 s", result.Error);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("empty", "not a feed: the response body is empty")]
    [InlineData("html", "not a feed: the response is an HTML page")]
    [InlineData("laughs", "not a feed: the document defines nested entities (an entity-expansion attack?)")]
    public async Task Fetch_NotAFeed_ClearError(string kind, string expected)
    {
        await using var server = await FeedServer.StartAsync();
        var body = kind switch
        {
            "empty" => "",
            "html" => "<!DOCTYPE html><html><head><title>News</title></head><body><p>Iran</p></body></html>",
            _ => """
                <?xml version="1.0"?>
                <!DOCTYPE rss [
                  <!ENTITY lol "lol">
                  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
                  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
                  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
                  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
                  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
                  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
                  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
                  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
                ]>
                <rss version="2.0"><channel><title>&lol9;</title></channel></rss>
                """,
        };
        var url = server.Serve($"/{kind}.xml", kind == "html" ? "text/html" : "application/rss+xml", Encoding.UTF8.GetBytes(body));
        await using var services = Services();

        var result = await FetchAndParseAsync(services, url);

        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public async Task Fetch_ExternalEntity_NotResolved()
    {
        await using var server = await FeedServer.StartAsync();
        var secret = Path.GetTempFileName();
        await File.WriteAllTextAsync(secret, "TOP-SECRET-CONTENT", TestContext.Current.CancellationToken);
        var xxe = $"""
            <?xml version="1.0"?>
            <!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
            <rss version="2.0"><channel><title>t</title><item><title>&xxe;</title></item></channel></rss>
            """;
        var url = server.Serve("/xxe.xml", "application/rss+xml", Encoding.UTF8.GetBytes(xxe));
        await using var services = Services();

        var result = await FetchAndParseAsync(services, url);

        Assert.DoesNotContain(result.Items, i => (i.Title ?? "").Contains("TOP-SECRET", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/feed.xml")]
    [InlineData("http://localhost:{port}/feed.xml")]
    [InlineData("http://2130706433:{port}/feed.xml")]
    [InlineData("http://[::1]:{port}/feed.xml")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.1/feed.xml")]
    public async Task Fetch_PrivateAddress_RefusedByDefault(string template)
    {
        await using var server = await FeedServer.StartAsync();
        server.Serve("/feed.xml", "application/rss+xml", TestFeeds.Rss([("t", "b")], "https://x.test"));
        var url = template.Replace("{port}", new Uri(server.BaseUrl).Port.ToString());
        await using var services = Services(allowPrivate: false);

        var result = await services.GetRequiredService<FeedFetcher>().FetchAsync(url, null, null, TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Contains("private or reserved address", result.Error);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task Fetch_RedirectToPrivateAddress_RefusedAtConnect()
    {
        // "localhost" is an allowed intranet host; the redirect it sends goes to 127.0.0.1, which is not.
        await using var server = await FeedServer.StartAsync();
        var port = new Uri(server.BaseUrl).Port;
        server.Serve("/inside.xml", "application/rss+xml", TestFeeds.Rss([("secret", "inside")], "https://inside.test"));
        server.Handle("/hop", context =>
        {
            context.Response.Redirect($"http://127.0.0.1:{port}/inside.xml");
            return Task.CompletedTask;
        });
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        settings["Alerts:Fetch:AllowPrivateNetworks"] = "false";
        settings["Alerts:Fetch:AllowedPrivateHosts:0"] = "localhost";
        await using var services = TestServices.Build(settings);
        var fetcher = services.GetRequiredService<FeedFetcher>();

        var direct = await fetcher.FetchAsync($"http://localhost:{port}/inside.xml", null, null, TestContext.Current.CancellationToken);
        var redirected = await fetcher.FetchAsync($"http://localhost:{port}/hop", null, null, TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Ok, direct.Status);
        Assert.Equal(FetchStatus.Failed, redirected.Status);
        Assert.Contains("127.0.0.1 resolves to a private or reserved address", redirected.Error);
        Assert.Equal(2, server.Requests); // the direct fetch and the first hop; the redirect target was never reached
    }

    [Fact]
    public async Task Fetch_ServerErrorOnce_RetriedWithinTheCycle()
    {
        await using var server = await FeedServer.StartAsync();
        var body = TestFeeds.Rss(TestFeeds.Unrelated, "https://blip.test");
        var calls = 0;
        var url = server.Handle("/blip.xml", async context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = 503;
                return;
            }

            context.Response.ContentType = "application/rss+xml";
            await context.Response.Body.WriteAsync(body);
        });
        await using var services = Services();

        var result = await FetchAndParseAsync(services, url);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task Poll_TooManyRequestsWithRetryAfter_NextPollHonoursIt()
    {
        await using var server = await FeedServer.StartAsync();
        var url = server.Handle("/busy.xml", context =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "3600";
            return Task.CompletedTask;
        });
        await using var services = Services();
        await services.GetRequiredService<FeedStore>().AddAsync(url, TestContext.Current.CancellationToken);
        var before = DateTimeOffset.UtcNow;

        await services.GetRequiredService<PollService>().RunOnceAsync(null, TestContext.Current.CancellationToken);
        await services.GetRequiredService<PollService>().RunOnceAsync(null, TestContext.Current.CancellationToken);

        var feed = Assert.Single(await services.GetRequiredService<FeedStore>().ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(429, feed.LastStatus);
        Assert.True(feed.NextPollAt >= before.AddMinutes(59), $"next poll {feed.NextPollAt}");
        Assert.Equal(1, server.Requests); // the second cycle respected Retry-After
    }

    [Fact]
    public async Task Poll_ManyFeedsOnOneHost_AtMostPerHostConcurrencyInFlight()
    {
        await using var server = await FeedServer.StartAsync();
        await using var services = Services(perHost: 2);
        var feeds = services.GetRequiredService<FeedStore>();
        for (var i = 0; i < 12; i++)
        {
            var body = TestFeeds.Rss([($"Item {i}", "Weather")], $"https://host.test/{i}");
            var url = server.Handle($"/slow{i}.xml", async context =>
            {
                await Task.Delay(150);
                context.Response.ContentType = "application/rss+xml";
                await context.Response.Body.WriteAsync(body);
            });
            await feeds.AddAsync(url, TestContext.Current.CancellationToken);
        }

        var summary = await services.GetRequiredService<PollService>().RunOnceAsync(null, TestContext.Current.CancellationToken);

        Assert.Equal(0, summary.Failed);
        Assert.Equal(12, server.Requests);
        Assert.InRange(server.MaxInFlight, 1, 2);
    }
}
