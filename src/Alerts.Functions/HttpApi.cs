using Alerts.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions;

/// <summary>The HTTP API: each trigger hands the request to the Core handler that <c>alerts serve</c> uses too.</summary>
public sealed class HttpApi(
    CheckHandler check,
    HealthHandler health,
    MatchesHandler matches,
    SubscriptionHandler subscriptions,
    WatchlistsHandler watchlists,
    FeedsHandler feeds,
    SubscribersHandler subscribers)
{
    [Function("Check")]
    public Task<IActionResult> CheckAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/check")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, check.HandleAsync(request, cancellationToken));

    [Function("Health")]
    public Task<IActionResult> HealthAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, health.HandleAsync(request, cancellationToken));

    [Function("Matches")]
    public Task<IActionResult> MatchesAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/matches")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, matches.HandleAsync(request, cancellationToken));

    [Function("Watchlists")]
    public Task<IActionResult> WatchlistsAsync([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "api/watchlists")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, watchlists.ListAsync(cancellationToken));

    [Function("Watchlist")]
    public Task<IActionResult> WatchlistAsync([HttpTrigger(AuthorizationLevel.Admin, "get", "put", "delete", Route = "api/watchlists/{name}")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        Execute(request, request.Method.ToUpperInvariant() switch
        {
            "PUT" => watchlists.PutAsync(name, request, cancellationToken),
            "DELETE" => watchlists.DeleteAsync(name, request, cancellationToken),
            _ => watchlists.GetAsync(name, cancellationToken),
        });

    [Function("WatchlistTest")]
    public Task<IActionResult> WatchlistTestAsync([HttpTrigger(AuthorizationLevel.Admin, "post", Route = "api/watchlists/{name}/test")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        Execute(request, watchlists.TestAsync(name, request, cancellationToken));

    [Function("Feeds")]
    public Task<IActionResult> FeedsAsync([HttpTrigger(AuthorizationLevel.Admin, "get", "post", "delete", Route = "api/feeds")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, request.Method.ToUpperInvariant() switch
        {
            "POST" => feeds.AddAsync(request, cancellationToken),
            "DELETE" => feeds.RemoveAsync(request, cancellationToken),
            _ => feeds.ListAsync(cancellationToken),
        });

    [Function("FeedsOpml")]
    public Task<IActionResult> FeedsOpmlAsync([HttpTrigger(AuthorizationLevel.Admin, "get", "post", Route = "api/feeds/opml")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, HttpMethods.IsPost(request.Method) ? feeds.ImportOpmlAsync(request, cancellationToken) : feeds.ExportOpmlAsync(cancellationToken));

    [Function("Subscribers")]
    public Task<IActionResult> SubscribersAsync([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "api/subscribers")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, subscribers.ListAsync(cancellationToken));

    [Function("Subscribe")]
    public Task<IActionResult> SubscribeAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/subscribe")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, subscriptions.SubscribeAsync(request, cancellationToken));

    [Function("Confirm")]
    public Task<IActionResult> ConfirmAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/confirm")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, subscriptions.ConfirmAsync(request, cancellationToken));

    [Function("Unsubscribe")]
    public Task<IActionResult> UnsubscribeAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/unsubscribe")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, HttpMethods.IsPost(request.Method) ? subscriptions.UnsubscribeAsync(request, cancellationToken) : Task.FromResult(subscriptions.UnsubscribePage(request)));

    /// <summary>Core handlers return minimal-API results; they write themselves to the ASP.NET Core response.</summary>
    private static async Task<IActionResult> Execute(HttpRequest request, Task<IResult> handler)
    {
        IResult result;
        try
        {
            result = await handler;
        }
        catch (Exception ex) when (ApiJson.ForFailure(ex, request.HttpContext) is { } failure)
        {
            result = failure;
        }

        await result.ExecuteAsync(request.HttpContext);
        return new EmptyResult();
    }
}
