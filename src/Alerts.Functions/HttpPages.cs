using Alerts.Core.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions;

/// <summary>
/// The web pages: each trigger hands the request to the Core page handlers that <c>alerts serve</c>
/// maps too (<see cref="PageDispatcher"/>). Triggers are anonymous to the host — a browser cannot send
/// a function key — and <see cref="RoutePolicyMiddleware"/> applies the page table's policy (rate
/// limits, console sign-in) before any of them runs.
/// </summary>
public sealed class HttpPages(PageDispatcher pages)
{
    [Function("PageHome")]
    public Task<IActionResult> HomeAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = PageRoutes.HomeRoute)] HttpRequest request, CancellationToken cancellationToken) =>
        Execute("PageHome", request, null, cancellationToken);

    [Function("PageManage")]
    public Task<IActionResult> ManageAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "manage")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute("PageManage", request, null, cancellationToken);

    [Function("PageUnsubscribeUndo")]
    public Task<IActionResult> UnsubscribeUndoAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "unsubscribe/undo")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute("PageUnsubscribeUndo", request, null, cancellationToken);

    [Function("PageAsset")]
    public Task<IActionResult> AssetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assets/{file}")] HttpRequest request, string file, CancellationToken cancellationToken) =>
        Execute("PageAsset", request, file, cancellationToken);

    [Function("PageSignIn")]
    public Task<IActionResult> SignInAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "console/sign-in")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute("PageSignIn", request, null, cancellationToken);

    [Function("PageSignOut")]
    public Task<IActionResult> SignOutAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "console/sign-out")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute("PageSignOut", request, null, cancellationToken);

    [Function("PageDashboard")]
    public Task<IActionResult> DashboardAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute("PageDashboard", request, null, cancellationToken);

    [Function("PageMatches")]
    public Task<IActionResult> MatchesAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/matches")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute("PageMatches", request, null, cancellationToken);

    [Function("PageWatchlists")]
    public Task<IActionResult> WatchlistsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/watchlists")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute("PageWatchlists", request, null, cancellationToken);

    [Function("PageWatchlist")]
    public Task<IActionResult> WatchlistAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "console/watchlists/{name}")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        Execute("PageWatchlist", request, name, cancellationToken);

    [Function("PageFeeds")]
    public Task<IActionResult> FeedsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "console/feeds")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute("PageFeeds", request, null, cancellationToken);

    [Function("PageFeedsOpml")]
    public Task<IActionResult> FeedsOpmlAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/feeds/opml")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute("PageFeedsOpml", request, null, cancellationToken);

    [Function("PageSubscribers")]
    public Task<IActionResult> SubscribersAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "console/subscribers")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute("PageSubscribers", request, null, cancellationToken);

    /// <summary>Page handlers return minimal-API results (they catch their own failures into error pages); they write themselves to the response.</summary>
    private async Task<IActionResult> Execute(string function, HttpRequest request, string? value, CancellationToken cancellationToken)
    {
        var route = PageRoutes.OfFunction(function) ?? throw new InvalidOperationException($"{function} is not in PageRoutes");
        var result = await pages.HandleAsync(route, request.HttpContext, value, cancellationToken);
        await result.ExecuteAsync(request.HttpContext);
        return new EmptyResult();
    }
}
