using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Alerts.Core.Subscribers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.IntegrationTests.Api;

/// <summary>
/// The abuse findings of issue #10, each over real HTTP against <c>alerts serve</c> with Azurite:
/// what an attacker tried, and what now happens instead.
/// </summary>
public sealed class AbuseTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly string _outbox = Path.Combine(Path.GetTempPath(), "alerts-outbox-" + Guid.NewGuid().ToString("N"));

    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_outbox))
        {
            Directory.Delete(_outbox, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    private static readonly string[] RedirectTargets = ["file:///etc/passwd", "data:text/html,hi", "javascript:alert(1)", "https:x", "gopher://127.0.0.1:70/", "ftp://127.0.0.1/feed.xml"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Settings(int perMinute = 10_000)
    {
        var settings = ServeHost.Settings(azurite.ConnectionString, _outbox);
        settings["Alerts:Api:PublicRequestsPerMinute"] = perMinute.ToString();
        return settings;
    }

    private static async Task<HttpResponseMessage> SubscribeAsync(HttpClient client, object body, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/subscribe") { Content = JsonContent.Create(body) };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return await client.SendAsync(request, Ct);
    }

    private static async Task<string> TokenOf(string eml)
    {
        var mail = await MimeKit.MimeMessage.LoadAsync(eml, Ct);
        var link = new Uri(System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", @"http\S+/api/confirm\?token=\S+").Value);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(link.Query)["token"].ToString();
    }

    private string[] Outbox() => Directory.Exists(_outbox) ? Directory.GetFiles(_outbox, "*.eml") : [];

    [Fact]
    public async Task Subscribe_ForgedForwardedFor_CannotEscapeThePerAddressLimit()
    {
        await using var serve = await ServeHost.StartAsync(Settings(perMinute: 5));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            var response = await SubscribeAsync(serve.Anonymous, new { email = $"r{i}@example.com" }, $"198.18.0.{i}, 2001:db8::{i}");
            statuses.Add(response.StatusCode);
        }

        // Five a minute for this client, whatever it claims to forward (serve's start-up health checks used some).
        var accepted = statuses.Count(s => s == HttpStatusCode.Accepted);
        Assert.InRange(accepted, 1, 5);
        Assert.Equal(40 - accepted, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Subscribe_ManyRequestsForOneVictim_OneEmailSameAnswer()
    {
        await using var serve = await ServeHost.StartAsync(Settings());

        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            var response = await SubscribeAsync(serve.Anonymous, new { email = "victim@example.com", name = $"spam {i}" });
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        Assert.Single(answers.Select(a => a.Item2).Distinct()); // nothing tells the attacker the limit applied
        Assert.Single(Outbox());
    }

    [Fact]
    public async Task Subscribe_TwoConfirmationsInTime_TwoFilesNoneOverwritten()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null, _outbox), configure: s => s.AddSingleton<TimeProvider>(clock));
        var subscriptions = services.GetRequiredService<SubscriptionService>();

        await subscriptions.SubscribeAsync(new SubscriptionRequest("twice@example.com", null, null, "daily", "UTC"), Ct);
        clock.Advance(SubscriptionService.ConfirmationInterval);
        await subscriptions.SubscribeAsync(new SubscriptionRequest("twice@example.com", null, null, "weekly", "UTC"), Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        var third = await subscriptions.SubscribeAsync(new SubscriptionRequest("twice@example.com", null, null, "weekly", "UTC"), Ct);

        Assert.Equal(2, Outbox().Length);
        Assert.False(third); // within ten minutes of the second
    }

    [Fact]
    public async Task Subscribe_KnownConfirmedAddress_ChangesNothingUntilTheOwnerConfirms()
    {
        await using var serve = await ServeHost.StartAsync(Settings());
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null, _outbox));
        var store = services.GetRequiredService<SubscriberStore>();
        await store.UpsertAsync("owner@example.com", "Owner", ["default"], "daily@07", confirmed: true, Ct, "Europe/Berlin");

        var attack = await SubscribeAsync(serve.Anonymous, new { email = "owner@example.com", name = "Mallory", cadence = "immediate", timeZone = "Asia/Seoul" });
        var afterAttack = await store.GetAsync("owner@example.com", Ct);
        var mail = await MimeKit.MimeMessage.LoadAsync(Assert.Single(Outbox()), Ct);
        var link = System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", @"http\S+/api/confirm\?token=\S+").Value;
        var confirm = await serve.Anonymous.GetAsync(new Uri(link).PathAndQuery, Ct);
        var afterConfirm = await store.GetAsync("owner@example.com", Ct);
        var again = await serve.Anonymous.GetAsync(new Uri(link).PathAndQuery, Ct);

        Assert.Equal(HttpStatusCode.Accepted, attack.StatusCode);
        Assert.Equal(("Owner", "daily@07", "Europe/Berlin", true), (afterAttack!.Name, afterAttack.Cadence, afterAttack.TimeZone, afterAttack.Confirmed));
        Assert.Equal("Confirm changes to your news alerts", mail.Subject);
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal(("Mallory", "immediate", "Asia/Seoul"), (afterConfirm!.Name, afterConfirm.Cadence, afterConfirm.TimeZone));
        Assert.Null(afterConfirm.Pending);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode); // the owner opening the link twice sees it done, and nothing changes
    }

    [Fact]
    public async Task Confirm_LinkOfAnOlderRequest_StaleOnceANewerOneWasMade()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null, _outbox), configure: s => s.AddSingleton<TimeProvider>(clock));
        var subscriptions = services.GetRequiredService<SubscriptionService>();
        await subscriptions.SubscribeAsync(new SubscriptionRequest("race@example.com", null, null, "daily", "UTC"), Ct);
        var first = Outbox().Single();
        clock.Advance(SubscriptionService.ConfirmationInterval);
        await subscriptions.SubscribeAsync(new SubscriptionRequest("race@example.com", null, null, "weekly", "UTC"), Ct);
        var second = Outbox().Single(f => f != first);

        var stale = await subscriptions.ConfirmAsync(await TokenOf(first), Ct);
        var fresh = await subscriptions.ConfirmAsync(await TokenOf(second), Ct);

        Assert.Null(stale);
        Assert.Equal("race@example.com", fresh);
        Assert.Equal("weekly@mon", (await services.GetRequiredService<SubscriberStore>().GetAsync("race@example.com", Ct))!.Cadence);
    }

    [Fact]
    public async Task Subscribe_TenThousandCopiesOfOneWatchlist_OneStorageReadAndOneName()
    {
        var counter = new StorageRequestCounter();
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null, _outbox), configure: s => counter.Install(s));
        var subscriptions = services.GetRequiredService<SubscriptionService>();

        await subscriptions.SubscribeAsync(new SubscriptionRequest("many@example.com", null, [.. Enumerable.Repeat("default", 10_000)], "daily", "UTC"), Ct);
        var tooMany = await Assert.ThrowsAsync<SubscriptionException>(() => subscriptions.ValidateAsync(new SubscriptionRequest("many@example.com", null, [.. Enumerable.Range(0, 21).Select(i => $"w{i}")], "daily", "UTC"), Ct));
        var stored = await services.GetRequiredService<SubscriberStore>().GetAsync("many@example.com", Ct);

        Assert.Equal(1, counter.Count("Watchlists()"));
        Assert.Equal("default", stored!.Watchlists);
        Assert.Equal("watchlists", tooMany.Field);
    }

    [Fact]
    public async Task Api_OversizedOrHostileInput_FourHundredsNeverFiveHundred()
    {
        await using var serve = await ServeHost.StartAsync(Settings());
        await using var feeds = await FeedServer.StartAsync();
        var redirects = RedirectTargets
            .Select((target, i) => feeds.Handle($"/redirect-{i}", context =>
            {
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = target;
                return Task.CompletedTask;
            }))
            .ToList();
        var hugeName = await SubscribeAsync(serve.Anonymous, new { email = "big@example.com", name = new string('n', 60_000) });
        var checks = new List<HttpResponseMessage>();
        foreach (var url in redirects)
        {
            checks.Add(await serve.Admin.PostAsJsonAsync("/api/check", new { url }, Ct));
        }

        var farFuture = await serve.Anonymous.GetAsync("/api/confirm?token=" + Uri.EscapeDataString(FarFutureToken()), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, hugeName.StatusCode);
        Assert.Equal("name", (await hugeName.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("field").GetString());
        foreach (var check in checks)
        {
            var problem = await check.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, check.StatusCode);
            Assert.Contains("redirect", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.BadRequest, farFuture.StatusCode); // a link for nobody: refused, not a 500
        Assert.Equal(6, feeds.Requests); // each redirecting URL once; no target followed
    }

    /// <summary>A token signed with serve's own key whose expiry lies past year 9999.</summary>
    private static string FarFutureToken()
    {
        var key = ServeHost.SigningKey;
        var payload = $"0.{System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes("nobody@example.com"))}.{long.MaxValue}";
        return payload + "." + System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(payload)));
    }

    [Fact]
    public async Task Watchlists_TenThousandAliases_RoundTripThroughPut()
    {
        await using var serve = await ServeHost.StartAsync(Settings());
        var watchlist = WatchlistJson.LoadDefault();
        watchlist.Name = "sanctions";
        watchlist.Entities[0].Aliases.AddRange(Enumerable.Range(0, 10_000).Select(i => $"Vessel {i:x5} Shipping Co"));
        var json = WatchlistJson.Write(watchlist);

        var put = await serve.Admin.PutAsync("/api/watchlists/sanctions", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var get = await serve.Admin.GetAsync("/api/watchlists/sanctions", Ct);
        var check = await serve.Admin.PostAsJsonAsync("/api/check", new { text = "Vessel 01a3f Shipping Co delivered diesel from Russia to North Korea.", watchlist = "sanctions" }, Ct);
        var audit = await new AuditStore(new TableStorage(new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString))).ListAsync("watchlist:sanctions", 1, Ct);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var aliases = JsonNode.Parse(await get.Content.ReadAsStringAsync(Ct))!["entities"]![0]!["aliases"]!.AsArray();
        Assert.Equal(watchlist.Entities[0].Aliases.Count, aliases.Count);
        Assert.Contains(aliases, a => a!.GetValue<string>() == "Vessel 0270f Shipping Co");
        Assert.Contains("Vessel 01a3f Shipping Co", (await check.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("hits").ToString());
        Assert.Equal(json, audit.Single().After); // the audit keeps the whole version, not the first 30,000 characters
    }

    [Fact]
    public async Task Watchlists_ForgedPrincipalHeader_NotBelievedWithoutAppServiceAuthentication()
    {
        await using var serve = await ServeHost.StartAsync(Settings());
        var watchlist = WatchlistJson.LoadDefault();
        watchlist.Name = "audited";
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/watchlists/audited") { Content = new StringContent(WatchlistJson.Write(watchlist), Encoding.UTF8, "application/json") };
        request.Headers.Add("x-ms-client-principal-name", "ceo@example.com");
        request.Headers.Add("x-alerts-user", "Ann");

        var put = await serve.Admin.SendAsync(request, Ct);
        var audit = await new AuditStore(new TableStorage(new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString))).ListAsync("watchlist:audited", 1, Ct);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("Ann (admin key)", audit.Single().Who); // the key holder's label, not the header anyone can send
    }

    [Fact]
    public async Task Check_InlineDraftOverTheLimit_413QuicklyNotCompiled()
    {
        await using var serve = await ServeHost.StartAsync(Settings());
        var draft = new
        {
            name = "big",
            entities = new[] { new { name = "a", aliases = Enumerable.Range(0, 40_000).Select(i => $"alias{i}").ToArray() } },
            topics = new[] { new { name = "t", aliases = new[] { "oil" } } },
            rule = new { minEntityGroups = 1, minTopicGroups = 1 },
        };

        var response = await serve.Admin.PostAsJsonAsync("/api/check", new { text = "x", watchlist = draft }, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("watchlist", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("field").GetString());
    }
}
