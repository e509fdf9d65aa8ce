using System.Text.Json;
using Alerts.Core.Api;
using Alerts.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.IntegrationTests.Api;

/// <summary><c>/api/health</c> tells a poll timer that stopped from one that runs.</summary>
public sealed class HealthTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Theory]
    [InlineData(10, "ok")]        // within two 15-minute intervals
    [InlineData(29, "ok")]
    [InlineData(31, "degraded")]  // two polls should have finished since
    [InlineData(600, "degraded")]
    public async Task Health_LastPollOlderThanTwoIntervals_Degraded(int minutesAgo, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await azurite.ResetAsync();
        var now = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null), configure: s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(now)));
        await services.GetRequiredService<RunStore>().RecordAsync("poll", now.AddMinutes(-minutesAgo - 1), now.AddMinutes(-minutesAgo), "1 feed(s) polled", ct);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        context.Response.Body = new MemoryStream();

        await (await services.GetRequiredService<HealthHandler>().HandleAsync(context.Request, ct)).ExecuteAsync(context);
        context.Response.Body.Position = 0;
        var body = await JsonDocument.ParseAsync(context.Response.Body, cancellationToken: ct);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(expected, body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_PoisonMessages_CountedAndDegraded()
    {
        var ct = TestContext.Current.CancellationToken;
        await azurite.ResetAsync();
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null));
        var poison = await services.GetRequiredService<QueueStorage>().GetAsync(QueueNames.PollFeedsPoison, ct);
        await poison.SendMessageAsync("""{"feedUrl":"https://poisoned.test/rss.xml","enqueuedAt":"2026-11-28T09:00:00+00:00"}""", ct);
        await services.GetRequiredService<Alerts.Core.Polling.PollQueueClient>().EnqueueAsync(["https://waiting.test/rss.xml"], DateTimeOffset.UtcNow, ct);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();

        await (await services.GetRequiredService<HealthHandler>().HandleAsync(context.Request, ct)).ExecuteAsync(context);
        context.Response.Body.Position = 0;
        var body = (await JsonDocument.ParseAsync(context.Response.Body, cancellationToken: ct)).RootElement;

        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Equal(1, body.GetProperty("queue").GetProperty("poison").GetInt32());
        Assert.Equal(1, body.GetProperty("queue").GetProperty("length").GetInt32());
        Assert.Contains(body.GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains("poll-feeds-poison", StringComparison.Ordinal));
    }
}
