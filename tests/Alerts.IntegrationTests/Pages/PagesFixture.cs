using System.Net.Http.Json;
using System.Security;
using System.Text;
using Microsoft.Playwright;

namespace Alerts.IntegrationTests.Pages;

/// <summary>
/// One <c>alerts serve</c> with Azurite, a feed server whose stories were polled (matches spread over
/// the last days, for the chart), and one headless Chromium, shared by the page tests of a class.
/// </summary>
public sealed class PagesFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private IPlaywright? _playwright;

    public ServeHost Serve { get; private set; } = null!;

    public FeedServer Feeds { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string Outbox { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "alerts-pages-outbox-" + Guid.NewGuid().ToString("N"));

    public Dictionary<string, string?> Settings { get; private set; } = [];

    /// <summary>Where the screenshots of the run go: beside the test binaries, kept as artifacts.</summary>
    public static string Screenshots { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var browser = Task.Run(async () =>
        {
            await Chromium.EnsureInstalledAsync(ct);
            _playwright = await Playwright.CreateAsync();
            return await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium.Path, Args = Chromium.Args });
        }, ct);
        await _azurite.InitializeAsync();
        Feeds = await FeedServer.StartAsync();
        Settings = ServeHost.Settings(_azurite.ConnectionString, Outbox);
        Serve = await ServeHost.StartAsync(Settings);
        var wire = Feeds.Serve("/wire.xml", "application/rss+xml", SpreadOverDays(TestFeeds.Seeds()));
        (await Serve.Admin.PostAsJsonAsync("/api/feeds", new { url = wire, allowPrivate = true }, ct)).EnsureSuccessStatusCode();
        Assert.Equal(0, await Alerts.Cli.AlertsCli.RunAsync(["poll"], TextWriter.Null, TextWriter.Null, ct, Settings));
        Browser = await browser;
        Directory.CreateDirectory(Screenshots);
    }

    /// <summary>A page in a fresh browser context (its own cookies), which records console errors.</summary>
    public async Task<BrowserPage> OpenAsync(string? timeZone = null)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = Serve.Url, TimezoneId = timeZone, ViewportSize = new() { Width = 1200, Height = 900 } });
        return new BrowserPage(context, await context.NewPageAsync());
    }

    /// <summary>The seed stories, one a day back from today, so the dashboard has a chart to draw.</summary>
    public static byte[] SpreadOverDays(IReadOnlyList<(string Title, string Body)> items)
    {
        var sb = new StringBuilder("""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Pages wire</title><link>https://pages.test/</link><description>t</description>""");
        for (var i = 0; i < items.Count; i++)
        {
            sb.Append("<item><title>").Append(SecurityElement.Escape(items[i].Title)).Append("</title>")
              .Append("<link>https://pages.test/story/").Append(i).Append("</link><guid isPermaLink=\"false\">pages-").Append(i).Append("</guid>")
              .Append("<pubDate>").Append(DateTimeOffset.UtcNow.AddDays(-2 * i).AddHours(-1).ToString("r")).Append("</pubDate>")
              .Append("<description>").Append(SecurityElement.Escape(items[i].Body)).Append("</description></item>");
        }

        return Encoding.UTF8.GetBytes(sb.Append("</channel></rss>").ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await Serve.DisposeAsync();
        await Feeds.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
