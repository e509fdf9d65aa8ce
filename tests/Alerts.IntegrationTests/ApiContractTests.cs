using System.Text.Json;
using Alerts.Core.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

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
}
