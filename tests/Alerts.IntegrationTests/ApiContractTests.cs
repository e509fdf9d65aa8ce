using System.Text.Json;
using Alerts.Core.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alerts.IntegrationTests;

/// <summary>The OpenAPI document kept beside the handlers describes exactly the routes both hosts serve.</summary>
public sealed class ApiContractTests
{
    private static HashSet<string> Documented()
    {
        using var stream = typeof(ApiJson).Assembly.GetManifestResourceStream("Alerts.Core.openapi.json")!;
        using var document = JsonDocument.Parse(stream);
        return [.. document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(op => op.Name is "get" or "put" or "post" or "delete").Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"))];
    }

    [Fact]
    public void OpenApi_MatchesTheRoutesAlertsServeMaps()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        Alerts.Cli.Serve.LocalHost.MapRoutes(app);
        var served = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet();

        Assert.Equal(Documented().Order(), served.Order());
    }

    [Fact]
    public void OpenApi_MatchesTheFunctionsHttpTriggers()
    {
        var metadata = Paths.FunctionsMetadata;
        using var document = JsonDocument.Parse(File.ReadAllText(metadata));
        var functions = document.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            .SelectMany(b => b.GetProperty("methods").EnumerateArray().Select(m => $"{m.GetString()!.ToUpperInvariant()} /api/{b.GetProperty("route").GetString()}"))
            .ToHashSet();

        Assert.Equal(Documented().Order(), functions.Order());
    }

    [Fact]
    public void PublicRateLimiter_OverTheLimit_429PerAddress()
    {
        using var limiter = new PublicRateLimiter(Options.Create(new Alerts.Core.ApiOptions { PublicRequestsPerMinute = 3 }));
        HttpRequest From(string ip, string? forwardedFor = null)
        {
            var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
            context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(ip);
            if (forwardedFor is not null)
            {
                context.Request.Headers["X-Forwarded-For"] = forwardedFor;
            }

            return context.Request;
        }

        var first = Enumerable.Range(0, 3).Select(_ => limiter.Check(From("203.0.113.7"))).ToList();
        var fourth = limiter.Check(From("203.0.113.7"));
        var other = limiter.Check(From("198.51.100.9"));
        var spoofed = limiter.Check(From("203.0.113.7", "192.0.2.1")); // a direct client cannot pick its address
        var viaLocalProxy = Enumerable.Range(0, 3).Select(_ => limiter.Check(From("127.0.0.1", "192.0.2.55"))).ToList();

        Assert.All(first, r => Assert.Null(r));
        Assert.NotNull(fourth);
        Assert.Null(other);
        Assert.NotNull(spoofed);
        Assert.All(viaLocalProxy, r => Assert.Null(r));
        Assert.Equal("192.0.2.55", PublicRateLimiter.ClientOf(From("127.0.0.1", "192.0.2.55, 10.0.0.1")));
    }
}
