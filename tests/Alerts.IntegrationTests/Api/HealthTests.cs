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
}
