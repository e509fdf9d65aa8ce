using System.Security;
using System.Text;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.IntegrationTests.Polling;

/// <summary>A story re-published under a new guid, or with an edited title, is the story already stored: the link says so.</summary>
public sealed class RepublishTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string Link = "https://wire.test/2026/11/28/russia-diesel-north-korea?utm_source=rss";

    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static byte[] Rss(params (string Guid, string Title, string Link)[] items)
    {
        var sb = new StringBuilder("""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.test/</link><description>t</description>""");
        foreach (var (guid, title, link) in items)
        {
            sb.Append("<item><title>").Append(SecurityElement.Escape(title)).Append("</title><link>").Append(SecurityElement.Escape(link)).Append("</link>")
              .Append("<guid isPermaLink=\"false\">").Append(guid).Append("</guid>")
              .Append("<description>Trains carried diesel from Russia to North Korea across the Tumen bridge, customs data show.</description></item>");
        }

        return Encoding.UTF8.GetBytes(sb.Append("</channel></rss>").ToString());
    }

    [Fact]
    public async Task Poll_SameLinkNewGuidOrEditedTitle_NoSecondMatch()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FeedServer.StartAsync();
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null));
        var poll = services.GetRequiredService<PollService>();
        var feeds = services.GetRequiredService<FeedStore>();
        var url = server.Serve("/wire.xml", "application/rss+xml", Rss(("guid-1", "Russia ships diesel to North Korea by rail", Link)));
        await feeds.AddAsync(url, ct);
        var first = await poll.RunOnceAsync(null, ct);

        server.Serve("/wire.xml", "application/rss+xml", Rss(("guid-2", "Russia ships diesel to North Korea by rail", Link)));
        var newGuid = await poll.RunOnceAsync(null, ct);
        server.Serve("/wire.xml", "application/rss+xml", Rss(("guid-3", "UPDATE: Moscow sends more diesel to Pyongyang, data show", Link + "&utm_medium=feed")));
        var editedTitle = await poll.RunOnceAsync(null, ct);

        // Another feed carries the story under its own guid and headline, with the same link.
        var other = server.Serve("/agency.xml", "application/rss+xml", Rss(("agency-77", "Diesel trains roll from Russia into North Korea", Link)));
        await feeds.AddAsync(other, ct);
        var otherFeed = await poll.RunOnceAsync(null, ct);
        var stored = await services.GetRequiredService<MatchStore>().ListAsync("default", null, 10, ct);

        Assert.Equal(1, first.NewMatches);
        Assert.Equal((0, 0), (newGuid.NewItems, newGuid.NewMatches));
        Assert.Equal((0, 0), (editedTitle.NewItems, editedTitle.NewMatches));
        Assert.Equal(0, otherFeed.NewMatches);
        var story = Assert.Single(stored);
        Assert.Equal(new[] { url, other }.Order(StringComparer.Ordinal), story.SourceList.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Poll_FeedGivesEveryItemItsHomePage_ItemsStayApart()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FeedServer.StartAsync();
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null));
        var url = server.Serve("/home.xml", "application/rss+xml", Rss(
            ("h-1", "Russia ships diesel to North Korea by rail", "https://wire.test/live"),
            ("h-2", "Iran delivers drones to Russia via the Caspian", "https://wire.test/live")));
        await services.GetRequiredService<FeedStore>().AddAsync(url, ct);

        var summary = await services.GetRequiredService<PollService>().RunOnceAsync(null, ct);

        Assert.Equal((2, 2), (summary.NewItems, summary.NewMatches));
    }
}
