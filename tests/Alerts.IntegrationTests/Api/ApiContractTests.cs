using System.Text;
using System.Text.Json;
using Alerts.Core.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Alerts.IntegrationTests.Api;

/// <summary>
/// The OpenAPI document kept beside the handlers describes exactly what both hosts serve: the same
/// routes, and real requests and answers that fit its schemas (checked over HTTP against
/// <c>alerts serve</c> with Azurite).
/// </summary>
public sealed class ApiContractTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly OpenApiDocument Document = OpenApiDocument.Load();
    private static readonly string[] DefaultOnly = ["default"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void OpenApi_MatchesTheRoutesAlertsServeMaps()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        Alerts.Cli.Serve.LocalHost.MapRoutes(app);
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();
        var served = endpoints.SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}")).ToHashSet();

        Assert.Equal(Document.Operations().Order(), served.Order());
        Assert.All(endpoints, e => Assert.NotNull(e.Metadata.GetMetadata<ApiRoute>())); // every route carries its policy
    }

    [Fact]
    public void OpenApi_MatchesTheRouteTable() =>
        Assert.Equal(
            Document.Operations().Order(),
            ApiRoutes.All.SelectMany(r => r.Methods.Select(m => $"{m} {r.Pattern}")).Order());

    [Fact]
    public async Task Answers_FitTheirDocumentedSchemas()
    {
        await azurite.ResetAsync();
        await using var feeds = await FeedServer.StartAsync();
        var feedUrl = feeds.Serve("/contract.xml", "application/rss+xml", TestFeeds.Rss([.. TestFeeds.Seeds(), .. TestFeeds.Unrelated], "https://contract.test"));
        var opml = $"""<?xml version="1.0"?><opml version="2.0"><body><outline type="rss" xmlUrl="{feeds.BaseUrl}/other.xml"/></body></opml>""";
        await using var serve = await ServeHost.StartAsync(ServeHost.Settings(azurite.ConnectionString));
        var errors = new List<string>();
        var etag = "";

        async Task Call(string method, string template, string path, object? body, int status, string? ifMatch = null, string contentType = "application/json")
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                var json = body as string ?? JsonSerializer.Serialize(body, ApiJson.Options);
                request.Content = new StringContent(json, Encoding.UTF8, contentType);
                if (status < 400 && contentType == "application/json" && Document.RequestSchema(method, template) is { } requestSchema)
                {
                    errors.AddRange(Document.Validate(JsonDocument.Parse(json).RootElement, requestSchema).Select(e => $"{method} {path} request {e}"));
                }
            }

            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }

            var response = await serve.Admin.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True((int)response.StatusCode == status, $"{method} {path}: {(int)response.StatusCode} {text}");
            etag = response.Headers.ETag?.ToString() ?? etag;
            if (Document.ResponseSchema(method, template, status) is { } schema)
            {
                errors.AddRange(Document.Validate(JsonDocument.Parse(text).RootElement, schema).Select(e => $"{method} {path} {status} {e}"));
            }
        }

        var draft = new
        {
            name = "contract",
            description = "A test watchlist",
            entities = new[] { new { name = "Iran", aliases = new[] { "Iran" } }, new { name = "Russia", aliases = new[] { "Russia" } } },
            topics = new[] { new { name = "arms", aliases = new[] { "drones" } } },
            rule = new { minEntityGroups = 2, minTopicGroups = 1, scope = "document", minScore = 1 },
        };

        await Call("GET", "/api/health", "/api/health", null, 200);
        await Call("POST", "/api/check", "/api/check", new { title = "Iran ships drones to Russia", summary = "Deliveries via the Caspian." }, 200);
        await Call("POST", "/api/check", "/api/check", new { text = "Iran ships drones to Russia", watchlist = draft }, 200);
        await Call("POST", "/api/check", "/api/check", new { feedUrl }, 200);
        await Call("POST", "/api/check", "/api/check", new { text = 5 }, 400);
        await Call("GET", "/api/watchlists", "/api/watchlists", null, 200);
        await Call("GET", "/api/watchlists/{name}", "/api/watchlists/default", null, 200);
        await Call("PUT", "/api/watchlists/{name}", "/api/watchlists/contract", draft, 201);
        await Call("PUT", "/api/watchlists/{name}", "/api/watchlists/contract", draft, 200, ifMatch: etag);
        await Call("PUT", "/api/watchlists/{name}", "/api/watchlists/contract", draft, 412, ifMatch: "\"stale\"");
        await Call("POST", "/api/watchlists/{name}/test", "/api/watchlists/contract/test?days=3", draft, 200);
        await Call("POST", "/api/feeds", "/api/feeds", new { url = feedUrl }, 201);
        await Call("POST", "/api/feeds", "/api/feeds", new { url = feedUrl }, 200);
        await Call("POST", "/api/feeds", "/api/feeds", new { url = "ftp://example.com/feed" }, 400);
        await Call("POST", "/api/feeds/opml", "/api/feeds/opml", opml, 200, contentType: "text/x-opml");
        Assert.Equal(0, await Alerts.Cli.AlertsCli.RunAsync(["poll"], TextWriter.Null, TextWriter.Null, Ct, ServeHost.Settings(azurite.ConnectionString)));
        await Call("GET", "/api/feeds", "/api/feeds", null, 200);
        await Call("GET", "/api/matches", "/api/matches?max=2", null, 200);
        await Call("GET", "/api/matches", "/api/matches?max=0", null, 400);
        await Call("POST", "/api/subscribe", "/api/subscribe", new { email = "contract@example.com", watchlists = DefaultOnly, cadence = "daily@07", timeZone = "Europe/Berlin" }, 202);
        await Call("GET", "/api/subscribers", "/api/subscribers", null, 200);
        await Call("DELETE", "/api/watchlists/{name}", "/api/watchlists/contract", null, 428);
        await Call("GET", "/api/health", "/api/health", null, 200);

        Assert.Empty(errors);
    }
}
