using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alerts.Cli;

namespace Alerts.IntegrationTests.Cli.Serve;

/// <summary><c>alerts serve</c> over real HTTP on loopback, against Azurite: the API as clients see it.</summary>
public sealed class ServeTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string AdminKey = ServeHost.AdminKey;
    private ServeHost? _serve;
    private FeedServer? _feeds;
    private HttpClient _admin = null!;
    private HttpClient _anonymous = null!;

    public async ValueTask InitializeAsync()
    {
        await azurite.ResetAsync();
        _feeds = await FeedServer.StartAsync();
        _serve = await ServeHost.StartAsync(ServeHost.Settings(azurite.ConnectionString));
        _admin = _serve.Admin;
        _anonymous = _serve.Anonymous;
    }

    public async ValueTask DisposeAsync()
    {
        if (_serve is not null)
        {
            Assert.Equal(0, await _serve.StopAsync()); // graceful shutdown
            await _serve.DisposeAsync();
        }

        if (_feeds is not null)
        {
            await _feeds.DisposeAsync();
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AdminRoutes_NeedTheKey_PublicRoutesDoNot()
    {
        var withoutKey = await _anonymous.GetAsync("/api/matches", Ct);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/feeds");
        wrong.Headers.Add("x-alerts-key", "wrong");
        var wrongKey = await _anonymous.SendAsync(wrong, Ct);
        var health = await _anonymous.GetAsync("/api/health", Ct);
        var withKey = await _admin.GetAsync("/api/feeds", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal("application/problem+json", withoutKey.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
    }

    public static TheoryData<string, string, string?, string?> Malformed() => new()
    {
        { "POST", "/api/check", "{not json", "application/json" },
        { "POST", "/api/check", "[]", "application/json" },
        { "POST", "/api/check", "", "application/json" },
        { "POST", "/api/check", """{"text":42}""", "application/json" },
        { "POST", "/api/check", """{"title":["a"]}""", "application/json" },
        { "POST", "/api/check", """{}""", "application/json" },
        { "POST", "/api/check", """{"text":"a","url":"http://x.test"}""", "application/json" },
        { "POST", "/api/check", """{"text":"a","watchlist":"no-such"}""", "application/json" },
        { "POST", "/api/check", """{"text":"a","watchlist":{"name":"x","entities":[]}}""", "application/json" },
        { "POST", "/api/check", """{"text":"a","watchlist":7}""", "application/json" },
        { "POST", "/api/check", """{"url":"file:///etc/passwd"}""", "application/json" },
        { "POST", "/api/check", """{"url":"gopher://example.com/"}""", "application/json" },
        { "POST", "/api/check", """{"url":"http://127.0.0.1/"}""", "application/json" },
        { "POST", "/api/check", """{"url":"http://169.254.169.254/latest/meta-data/"}""", "application/json" },
        { "POST", "/api/check", """{"url":"http://10.0.0.1/"}""", "application/json" },
        { "POST", "/api/check", """{"url":"http://[::1]/"}""", "application/json" },
        { "POST", "/api/check", """{"url":"http://2130706433/"}""", "application/json" },
        { "POST", "/api/check", """{"feedUrl":"not a url"}""", "application/json" },
        { "GET", "/api/matches?since=yesterday", null, null },
        { "GET", "/api/matches?max=0", null, null },
        { "GET", "/api/matches?max=abc", null, null },
        { "GET", "/api/matches?continuation=%%%", null, null },
        { "GET", "/api/watchlists/Not_Valid", null, null },
        { "GET", "/api/watchlists/missing", null, null },
        { "PUT", "/api/watchlists/x", "{\"entities\":5}", "application/json" },
        { "PUT", "/api/watchlists/x", """{"name":"y","entities":[{"name":"a","aliases":["a"]}]}""", "application/json" },
        { "PUT", "/api/watchlists/x", """{"entities":[{"name":"a","aliases":[]}]}""", "application/json" },
        { "PUT", "/api/watchlists/default", """{"entities":[{"name":"a","aliases":["a"]}]}""", "application/json" },
        { "DELETE", "/api/watchlists/missing", null, null },
        { "DELETE", "/api/watchlists/default", null, null },
        { "POST", "/api/watchlists/default/test?days=99", "{}", "application/json" },
        { "POST", "/api/watchlists/default/test", "{\"entities\":[]}", "application/json" },
        { "POST", "/api/feeds", """{"url":"ftp://example.com/feed"}""", "application/json" },
        { "POST", "/api/feeds", """{"url":5}""", "application/json" },
        { "DELETE", "/api/feeds", null, null },
        { "DELETE", "/api/feeds?url=https://never.added/", null, null },
        { "POST", "/api/feeds/opml", "<rss/>", "text/x-opml" },
        { "POST", "/api/feeds/opml", "<opml", "text/x-opml" },
        { "POST", "/api/subscribe", """{"email":"nope"}""", "application/json" },
        { "POST", "/api/subscribe", """{"email":"a@example.com","watchlists":[1]}""", "application/json" },
        { "POST", "/api/subscribe", """{"email":"a@example.com","watchlists":"default"}""", "application/json" },
        { "POST", "/api/subscribe", """{"email":"a@example.com","watchlists":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u"]}""", "application/json" },
        { "POST", "/api/subscribe", "{\"email\":\"a@example.com\",\"name\":\"" + new string('n', 60_000) + "\"}", "application/json" },
        { "POST", "/api/subscribe", """{"email":"a\u202e@example.com"}""", "application/json" },
        { "POST", "/api/subscribe", """{"email":"a@example.com","timeZone":"W. Europe Standard Time"}""", "application/json" },
        { "GET", "/api/confirm?token=garbage", null, null },
        { "GET", "/api/confirm", null, null },
        { "GET", "/api/unsubscribe?token=1.2.3.4", null, null },
        { "POST", "/api/unsubscribe?token=", "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task MalformedRequest_FourHundredsProblemNeverFiveHundred(string method, string path, string? body, string? contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType!);
        }

        var response = await _admin.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()), text);
    }

    [Fact]
    public async Task Check_OversizedBody_413()
    {
        var big = new string('a', 1024 * 1024 + 10);
        var response = await _admin.PostAsync("/api/check", new StringContent($"{{\"text\":\"{big}\"}}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task FeedsOpml_OversizedChunkedBody_413()
    {
        // No Content-Length: the size is only known while reading, and reading stops at the cap.
        var content = new StreamContent(new MemoryStream(new byte[3 * 1024 * 1024]));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/x-opml");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/feeds/opml") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _admin.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Check_TextAndFeed_ExplainsMatches()
    {
        var feed = _feeds!.Serve("/check.xml", "application/rss+xml", TestFeeds.Rss([.. TestFeeds.Seeds().Take(2), .. TestFeeds.Unrelated.Take(2)], "https://check.test"));
        var text = await _admin.PostAsJsonAsync("/api/check", new { title = "Iran ships drones to Russia", summary = "Deliveries via the Caspian." }, Ct);
        var items = await _admin.PostAsJsonAsync("/api/check", new { feedUrl = feed }, Ct);

        var result = await text.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(result.GetProperty("matched").GetBoolean());
        Assert.Equal("title", result.GetProperty("evidence").GetProperty("field").GetString());
        var list = (await items.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, list.Count);
        Assert.Equal(2, list.Count(i => i.GetProperty("result").GetProperty("matched").GetBoolean()));
    }

    [Fact]
    public async Task Check_Url_MatchesTheArticleNotTheMenu()
    {
        var paragraphs = string.Concat(Enumerable.Repeat("<p>Analysts in Seoul said the shipments had grown through the autumn, with trains crossing the Tumen River bridge every few days and satellite images showing containers stacked at the Tumangang rail yard.</p>", 6));
        var html = $"""
            <!DOCTYPE html><html><head><title>Shells for fuel | Example News</title></head><body>
            <nav><a href="/iran">Iran</a> <a href="/oil">Oil prices</a> <a href="/russia">Russia</a></nav>
            <article><h1>North Korea sends more artillery shells to Russia</h1>
            <p>North Korea has shipped hundreds of thousands of artillery shells to Russia by rail, in exchange for fuel and food, officials said.</p>
            {paragraphs}</article>
            <footer>Subscribe to our newsletter</footer></body></html>
            """;
        var url = _feeds!.Serve("/article.html", "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));

        var result = await (await _admin.PostAsJsonAsync("/api/check", new { url }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.True(result.GetProperty("matched").GetBoolean(), result.ToString());
        Assert.DoesNotContain(result.GetProperty("entities").EnumerateArray(), e => e.GetString() == "Iran"); // the menu is not the article
    }

    [Fact]
    public async Task Watchlists_EditWithETag_StaleEdit412_AuditedAndDryRun()
    {
        // Stored items to dry-run against: the seeds and the unrelated items, polled once.
        var feed = _feeds!.Serve("/wl.xml", "application/rss+xml", TestFeeds.Rss([.. TestFeeds.Seeds(), .. TestFeeds.Unrelated], "https://wl.test"));
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsJsonAsync("/api/feeds", new { url = feed }, Ct)).StatusCode);
        Assert.Equal(0, await AlertsCli.RunAsync(["poll"], TextWriter.Null, TextWriter.Null, Ct, Settings()));

        var get = await _admin.GetAsync("/api/watchlists/default", Ct);
        var etag = get.Headers.ETag!.ToString();
        var watchlist = JsonNode.Parse(await get.Content.ReadAsStringAsync(Ct))!;
        watchlist["rule"]!["minScore"] = 99;

        var dryRun = await (await _admin.PostAsync("/api/watchlists/default/test?days=2", Json(watchlist), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var noIfMatch = await _admin.PutAsync("/api/watchlists/default", Json(watchlist), Ct);
        var stale = await Send(HttpMethod.Put, "/api/watchlists/default", Json(watchlist), "\"builtin-0000\"");
        var saved = await Send(HttpMethod.Put, "/api/watchlists/default", Json(watchlist), etag);
        var again = await Send(HttpMethod.Put, "/api/watchlists/default", Json(watchlist), etag);
        var current = await _admin.GetAsync("/api/watchlists/default", Ct);
        var deleteWithoutIfMatch = await _admin.DeleteAsync("/api/watchlists/default", Ct);
        var delete = await Send(HttpMethod.Delete, "/api/watchlists/default", null, saved.Headers.ETag!.ToString());
        var restored = await _admin.GetAsync("/api/watchlists/default", Ct);
        var audit = await new Alerts.Core.Storage.AuditStore(new Alerts.Core.Storage.TableStorage(new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString))).ListAsync("watchlist:default", 10, Ct);

        Assert.Equal(11, dryRun.GetProperty("itemsChecked").GetInt32());
        Assert.Equal(5, dryRun.GetProperty("wouldStopFlaggingCount").GetInt32());
        Assert.Equal(0, dryRun.GetProperty("wouldFlagCount").GetInt32());
        Assert.Equal(428, (int)noIfMatch.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode); // the built-in default existed: an update
        Assert.Equal(HttpStatusCode.PreconditionFailed, again.StatusCode); // the first save changed the ETag
        Assert.Equal(99, JsonNode.Parse(await current.Content.ReadAsStringAsync(Ct))!["rule"]!["minScore"]!.GetValue<double>());
        Assert.Equal(428, (int)deleteWithoutIfMatch.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(etag, restored.Headers.ETag!.ToString()); // back to the built-in version
        Assert.Equal(["delete", "update"], audit.Select(a => a.Action));
        Assert.Contains("\"minScore\": 99", audit[1].After);
        Assert.Equal("admin key", audit[0].Who);
    }

    [Fact]
    public async Task FeedsAndMatches_AddExportImport_PagesNewestFirst()
    {
        var feed = _feeds!.Serve("/paged.xml", "application/rss+xml", TestFeeds.Rss(TestFeeds.Seeds(), "https://paged.test"));
        await _admin.PostAsJsonAsync("/api/feeds", new { url = feed }, Ct);
        var duplicate = await _admin.PostAsJsonAsync("/api/feeds", new { url = feed }, Ct);
        Assert.Equal(0, await AlertsCli.RunAsync(["poll"], TextWriter.Null, TextWriter.Null, Ct, Settings()));
        var opml = await _admin.GetStringAsync("/api/feeds/opml", Ct);
        var removed = await _admin.DeleteAsync("/api/feeds?url=" + Uri.EscapeDataString(feed), Ct);
        var imported = await (await _admin.PostAsync("/api/feeds/opml", new StringContent(opml, Encoding.UTF8, "text/x-opml"), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var list = await _admin.GetFromJsonAsync<JsonElement>("/api/feeds", Ct);

        var seen = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await _admin.GetFromJsonAsync<JsonElement>("/api/matches?max=2" + (continuation is null ? "" : "&continuation=" + continuation), Ct);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("publishedAt").GetString() + "|" + i.GetProperty("id").GetString()));
            continuation = page.TryGetProperty("continuation", out var c) ? c.GetString() : null;
            pages++;
        }
        while (continuation is not null && pages < 10);

        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.Contains(feed, opml);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(1, imported.GetProperty("added").GetInt32());
        Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(3, pages);
        Assert.Equal(5, seen.Distinct().Count());
        Assert.Equal(seen.OrderByDescending(s => s, StringComparer.Ordinal), seen); // newest first across pages
    }

    [Fact]
    public async Task Subscribe_OverHttp_Accepted_ThenListedUnconfirmed()
    {
        var response = await _anonymous.PostAsJsonAsync("/api/subscribe", new { email = "web@example.com", cadence = "weekly@fri", timeZone = "Asia/Seoul" }, Ct);
        var list = await _admin.GetFromJsonAsync<JsonElement>("/api/subscribers", Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var subscriber = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.False(subscriber.GetProperty("confirmed").GetBoolean());
        Assert.Equal("Asia/Seoul", subscriber.GetProperty("timeZone").GetString());
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        settings["Alerts:Api:AdminKey"] = AdminKey;
        return settings;
    }

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, HttpContent? content, string ifMatch)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await _admin.SendAsync(request, Ct);
    }
}
