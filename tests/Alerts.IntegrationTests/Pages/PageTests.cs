using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Alerts.IntegrationTests.Pages;

/// <summary>
/// The web pages in a real browser (Debian's Chromium through Playwright) against <c>alerts serve</c>
/// with Azurite: a subscriber's whole journey, the console's watchlist editor with its dry run and
/// conflict, a feed added with its test fetch, the dashboard chart. Every page visited is checked with
/// axe-core and photographed; no page may log a console error (a CSP violation would).
/// </summary>
public sealed partial class PageTests(PagesFixture site) : IClassFixture<PagesFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Subscriber_SignsUpConfirmsManagesLeavesAndUndoes()
    {
        const string email = "reader.pages@example.com";
        await using var tab = await site.OpenAsync(timeZone: "Asia/Seoul");
        var page = tab.Page;

        var home = await tab.GoAsync("/");
        Assert.Equal(200, home.Status);
        Assert.Equal("Asia/Seoul", await page.GetByLabel("Your time zone").InputValueAsync()); // preselected from the browser by the page script
        await tab.CheckAsync("01-home");

        // A bad address: the form again, with the reason beside the field and the choices kept.
        await page.GetByLabel("Email address").FillAsync("not-an-address");
        await page.GetByLabel("Once a week (08:00)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        await Assertions.Expect(page.Locator("#email-error")).ToContainTextAsync("not a valid email address");
        Assert.True(await page.GetByLabel("Once a week (08:00)").IsCheckedAsync());
        await tab.CheckAsync("02-home-invalid");

        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Once a day").CheckAsync();
        await page.GetByLabel("Daily at").SelectOptionAsync("07");
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your inbox" })).ToBeVisibleAsync();
        await tab.CheckAsync("03-check-inbox");

        var confirm = LinkIn(await LatestEmailAsync(email, "Confirm your news alerts subscription"), "/api/confirm");
        var confirmed = await tab.GoAsync(confirm);
        Assert.Equal(200, confirmed.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are subscribed" })).ToBeVisibleAsync();
        await tab.CheckAsync("04-confirmed");
        var stored = await SubscriberAsync(email);
        Assert.True(stored.GetProperty("confirmed").GetBoolean());
        Assert.Equal("daily@07", stored.GetProperty("cadence").GetString());
        Assert.Equal("Asia/Seoul", stored.GetProperty("timeZone").GetString());

        // The digest links to the preferences page.
        Assert.Equal(0, await Alerts.Cli.AlertsCli.RunAsync(["digest", "--now", "--to", email], TextWriter.Null, TextWriter.Null, Ct, site.Settings));
        var manage = LinkIn(await LatestEmailAsync(email, "stor"), "/manage");
        await tab.GoAsync(manage);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your news alerts" })).ToBeVisibleAsync();
        Assert.Equal("07", await page.GetByLabel("Daily at").InputValueAsync());
        await tab.CheckAsync("05-manage");

        await page.GetByLabel("Once a week (08:00)").CheckAsync();
        await page.GetByLabel("Weekly on").SelectOptionAsync("fri");
        await page.GetByLabel("Your time zone").SelectOptionAsync("Europe/Berlin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save my choices" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Your choices are saved.")).ToBeVisibleAsync();
        stored = await SubscriberAsync(email);
        Assert.Equal("weekly@fri", stored.GetProperty("cadence").GetString());
        Assert.Equal("Europe/Berlin", stored.GetProperty("timeZone").GetString());

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause my alerts" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume my alerts" })).ToBeVisibleAsync();
        Assert.True((await SubscriberAsync(email)).GetProperty("paused").GetBoolean());
        await tab.CheckAsync("06-manage-paused");

        await page.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are unsubscribed" })).ToBeVisibleAsync();
        Assert.Null(await FindSubscriberAsync(email));
        await tab.CheckAsync("07-unsubscribed");

        await page.GetByRole(AriaRole.Button, new() { Name = "Undo: keep my alerts" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome back" })).ToBeVisibleAsync();
        stored = await SubscriberAsync(email);
        Assert.Equal("weekly@fri", stored.GetProperty("cadence").GetString());
        Assert.True(stored.GetProperty("confirmed").GetBoolean());

        tab.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task BadLinks_ShowAPageWithAWayForward()
    {
        await using var tab = await site.OpenAsync();
        var confirm = await tab.GoAsync("/api/confirm?token=tampered.token.here.x");
        Assert.Equal(400, confirm.Status);
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "This link does not work" })).ToBeVisibleAsync();
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Subscribe again" })).ToBeVisibleAsync();
        await tab.CheckAsync("08-bad-link");

        Assert.Equal(400, (await tab.GoAsync("/manage?token=garbage")).Status);
        Assert.Equal(400, (await tab.GoAsync("/api/unsubscribe?token=garbage")).Status);
        var missing = await tab.GoAsync("/no/such/page");
        Assert.Equal(404, missing.Status);
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();

        // An API client still gets problem+json from the same link.
        var api = await site.Serve.Anonymous.GetAsync("/api/confirm?token=garbage", Ct);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        tab.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Console_RequiresSignIn_KeyNeverInTheUrlOrCookie()
    {
        await using var tab = await site.OpenAsync();
        await tab.GoAsync("/console/feeds");
        Assert.Contains("/console/sign-in?next=%2Fconsole%2Ffeeds", tab.Page.Url, StringComparison.Ordinal);
        await tab.Page.GetByLabel("Admin key").FillAsync("wrong-key");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(tab.Page.GetByText("That is not the admin key.")).ToBeVisibleAsync();
        await tab.CheckAsync("09-sign-in");

        await tab.Page.GetByLabel("Admin key").FillAsync(ServeHost.AdminKey);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await tab.Page.WaitForURLAsync("**/console/feeds");
        var session = Assert.Single(await tab.Page.Context.CookiesAsync(), c => c.Name == "alerts-console");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.DoesNotContain(ServeHost.AdminKey, session.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(ServeHost.AdminKey, tab.Page.Url, StringComparison.Ordinal);

        // A post without the page's antiforgery token is refused, signed in or not.
        var forged = await tab.Page.APIRequest.PostAsync("/console/feeds", new() { Form = tab.Page.APIRequest.CreateFormData().Set("action", "add").Set("url", "https://example.com/feed") });
        Assert.Equal(400, forged.Status);
        tab.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Console_WatchlistEditor_DryRunSaveAndConflict()
    {
        const string name = "pages-test";
        const string draft = """
            {"name":"pages-test","description":"Drones between Iran and Russia",
             "entities":[{"name":"Iran","aliases":["Iran","Tehran"]},{"name":"Russia","aliases":["Russia","Moscow"]},{"name":"North Korea","aliases":["North Korea","Pyongyang"]}],
             "topics":[{"name":"arms","aliases":["drones"]}],
             "rule":{"minEntityGroups":2,"minTopicGroups":1,"scope":"document","minScore":1}}
            """;
        var created = await site.Serve.Admin.PutAsync($"/api/watchlists/{name}", new StringContent(draft, System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(201, (int)created.StatusCode);

        await using var tab = await site.OpenAsync();
        var page = tab.Page;
        await tab.SignInAsync();
        await tab.GoAsync("/console/watchlists");
        await tab.CheckAsync("10-watchlists");
        await page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Watchlist {name}" })).ToBeVisibleAsync();

        // Widen the topics: the dry run says what would start matching before anything is saved.
        await page.GetByLabel("Topics", new() { Exact = true }).FillAsync("arms: drones, artillery, shells, missiles, weapons\noil: oil, crude, tanker*, petroleum");
        await page.Locator("#days-form").FillAsync("30");
        await page.Locator("form:has(#days-form)").GetByRole(AriaRole.Button, new() { Name = "Test" }).ClickAsync();
        var result = page.Locator("#dry-run-result");
        await Assertions.Expect(result).ToBeVisibleAsync();
        var started = int.Parse(StartedCount().Match(await result.InnerTextAsync()).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(started > 0, await result.InnerTextAsync());
        Assert.Equal("Drones between Iran and Russia", await StoredDescriptionAsync(name)); // a test saves nothing
        await tab.CheckAsync("11-watchlist-dry-run");

        await page.Locator("form:has(#days-form)").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Saved. The next poll uses it.")).ToBeVisibleAsync();
        Assert.Contains("petroleum", await site.Serve.Admin.GetStringAsync($"/api/watchlists/{name}", Ct), StringComparison.Ordinal);

        // Someone else saves while this editor is open: saving from the page shows their change and overwrites nothing.
        var current = await site.Serve.Admin.GetAsync($"/api/watchlists/{name}", Ct);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await current.Content.ReadAsStringAsync(Ct))!;
        json["description"] = "Changed by a colleague meanwhile";
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/watchlists/{name}") { Content = JsonContent.Create(json) };
        put.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.ToString());
        Assert.Equal(200, (int)(await site.Serve.Admin.SendAsync(put, Ct)).StatusCode);

        await page.GetByLabel("Public description").FillAsync("My own description");
        await page.Locator("form:has(#days-form)").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Changed meanwhile — nothing was overwritten")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("pre.diff .add").First).ToBeVisibleAsync();
        Assert.Contains("Changed by a colleague meanwhile", await page.Locator("section[aria-labelledby=theirs]").InnerTextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("section[aria-labelledby=theirs] h3")).ToHaveCountAsync(1); // their change only, not the one this editor was opened after
        Assert.Equal("Changed by a colleague meanwhile", await StoredDescriptionAsync(name));
        Assert.Equal("My own description", await page.GetByLabel("Public description").InputValueAsync()); // the draft is kept
        await tab.CheckAsync("12-watchlist-conflict");

        // The history shows each change as a diff, with who made it.
        await Assertions.Expect(page.Locator("section[aria-labelledby=history] summary").First).ToContainTextAsync("update by");
        Assert.Contains("pat (admin key)", await page.Locator("section[aria-labelledby=history]").InnerTextAsync(), StringComparison.Ordinal);
        tab.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Console_AddFeed_TestFetchShowsTitleAndItems_PauseIsStored()
    {
        var url = site.Feeds.Serve("/added.xml", "application/rss+xml", TestFeeds.Rss([.. TestFeeds.Unrelated.Take(3)], "https://added.test"));
        await using var tab = await site.OpenAsync();
        var page = tab.Page;
        await tab.SignInAsync();
        await tab.GoAsync("/console/feeds");
        await page.GetByLabel("Feed address").FillAsync(url);
        await page.GetByLabel("It is an intranet feed").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add and test" }).ClickAsync();
        var probe = page.Locator("#probe");
        await Assertions.Expect(probe).ToContainTextAsync("Test wire");
        await Assertions.Expect(probe).ToContainTextAsync("found 3 item(s)");
        await tab.CheckAsync("13-feeds-added");

        // A bad address: a page with the reason, nothing added.
        await page.GetByLabel("Feed address").FillAsync("ftp://example.com/feed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add and test" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Not added:")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = $"Pause {url}" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Feed paused")).ToBeVisibleAsync();
        using var feeds = JsonDocument.Parse(await site.Serve.Admin.GetStringAsync("/api/feeds", Ct));
        var added = feeds.RootElement.GetProperty("items").EnumerateArray().Single(f => f.GetProperty("url").GetString() == url);
        Assert.True(added.GetProperty("paused").GetBoolean());
        tab.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Console_DashboardChartMatchesAndSubscribers_Render()
    {
        await using var tab = await site.OpenAsync();
        var page = tab.Page;
        await tab.SignInAsync();
        var bars = page.Locator("figure.chart svg rect");
        Assert.True(await bars.CountAsync() >= 2, "the chart draws a bar per day with matches");
        await Assertions.Expect(page.Locator("figure.chart .legend li").First).ToContainTextAsync("–");
        await tab.CheckAsync("14-dashboard");

        await tab.GoAsync("/console/matches");
        var first = page.Locator("ul.stories > li").First;
        await first.Locator("summary").ClickAsync();
        await Assertions.Expect(first.Locator("mark").First).ToBeVisibleAsync();
        await Assertions.Expect(first.GetByRole(AriaRole.Link, new() { Name = "http" }).First).ToBeVisibleAsync();
        await tab.CheckAsync("15-matches");

        await tab.GoAsync("/console/matches?from=not-a-date");
        await Assertions.Expect(page.GetByText("'from' must be a date")).ToBeVisibleAsync();

        await tab.GoAsync("/console/subscribers");
        await tab.CheckAsync("16-subscribers");
        tab.AssertNoConsoleErrors();
    }

    private async Task<string> LatestEmailAsync(string to, string subjectContains)
    {
        for (var i = 0; i < 50; i++)
        {
            foreach (var file in Directory.Exists(site.Outbox) ? Directory.GetFiles(site.Outbox, "*.eml").OrderByDescending(File.GetLastWriteTimeUtc).ToArray() : [])
            {
                var message = await MimeKit.MimeMessage.LoadAsync(file, Ct);
                if (message.To.Mailboxes.Any(m => m.Address == to) && (message.Subject ?? "").Contains(subjectContains, StringComparison.Ordinal))
                {
                    return message.TextBody ?? "";
                }
            }

            await Task.Delay(100, Ct);
        }

        throw new InvalidOperationException($"no email to {to} about '{subjectContains}' in {site.Outbox}");
    }

    /// <summary>The path and query of the first link to <paramref name="path"/> in an email (it names the configured public base, not this test's port).</summary>
    private static string LinkIn(string text, string path)
    {
        var match = Regex.Match(text, @"https?://\S+?(" + Regex.Escape(path) + @"\?token=\S+)");
        Assert.True(match.Success, $"no {path} link in: {text}");
        return match.Groups[1].Value;
    }

    private async Task<JsonElement?> FindSubscriberAsync(string email)
    {
        using var list = JsonDocument.Parse(await site.Serve.Admin.GetStringAsync("/api/subscribers", Ct));
        return list.RootElement.GetProperty("items").EnumerateArray().Where(s => s.GetProperty("email").GetString() == email).Select(s => (JsonElement?)s.Clone()).FirstOrDefault();
    }

    private async Task<JsonElement> SubscriberAsync(string email) => await FindSubscriberAsync(email) ?? throw new InvalidOperationException($"{email} is not subscribed");

    private async Task<string?> StoredDescriptionAsync(string name)
    {
        using var doc = JsonDocument.Parse(await site.Serve.Admin.GetStringAsync($"/api/watchlists/{name}", Ct));
        return doc.RootElement.GetProperty("description").GetString();
    }

    [GeneratedRegex(@"(\d+) would start matching")]
    private static partial Regex StartedCount();
}
