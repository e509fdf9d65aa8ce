using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Api;

/// <summary>Who may call a route.</summary>
public enum RouteAccess
{
    /// <summary>Anyone; limited per client address when <see cref="ApiRoute.RateLimited"/>.</summary>
    Anonymous,

    /// <summary>A function key in Azure; the admin key under <c>alerts serve</c>.</summary>
    Function,

    /// <summary>The admin (master) key in Azure, or Entra ID in front; the admin key under <c>alerts serve</c>.</summary>
    Admin,
}

/// <summary>One route of the HTTP API: the Functions trigger that serves it, its methods and path (under <c>/api/</c>), and its policy.</summary>
public sealed record ApiRoute(string Function, IReadOnlyList<string> Methods, string Route, RouteAccess Access, bool RateLimited)
{
    /// <summary>The path pattern as ASP.NET Core routing writes it.</summary>
    public string Pattern => "/api/" + Route;
}

/// <summary>
/// The one table of the HTTP API's routes and who may call them. Both hosts apply it: the Functions
/// trigger attributes must agree with it (a test reads <c>functions.metadata</c>) and a worker
/// middleware applies its rate limits; <c>alerts serve</c> maps its routes and its key and rate-limit
/// checks from it.
/// </summary>
public static class ApiRoutes
{
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        new("Check", ["POST"], "check", RouteAccess.Function, RateLimited: false),
        new("Matches", ["GET"], "matches", RouteAccess.Function, RateLimited: false),
        new("Health", ["GET"], "health", RouteAccess.Anonymous, RateLimited: true),
        new("Watchlists", ["GET"], "watchlists", RouteAccess.Admin, RateLimited: false),
        new("Watchlist", ["GET", "PUT", "DELETE"], "watchlists/{name}", RouteAccess.Admin, RateLimited: false),
        new("WatchlistTest", ["POST"], "watchlists/{name}/test", RouteAccess.Admin, RateLimited: false),
        new("Feeds", ["GET", "POST", "DELETE"], "feeds", RouteAccess.Admin, RateLimited: false),
        new("FeedsOpml", ["GET", "POST"], "feeds/opml", RouteAccess.Admin, RateLimited: false),
        new("Subscribers", ["GET"], "subscribers", RouteAccess.Admin, RateLimited: false),
        new("Subscribe", ["POST"], "subscribe", RouteAccess.Anonymous, RateLimited: true),
        new("Confirm", ["GET"], "confirm", RouteAccess.Anonymous, RateLimited: true),
        new("Unsubscribe", ["GET", "POST"], "unsubscribe", RouteAccess.Anonymous, RateLimited: true),
    ];

    private static readonly Dictionary<string, ApiRoute> ByName = All.ToDictionary(r => r.Function, StringComparer.Ordinal);

    /// <summary>The route a Functions trigger serves; null for functions that are not HTTP routes (timers).</summary>
    public static ApiRoute? OfFunction(string functionName) => ByName.GetValueOrDefault(functionName);
}

/// <summary>Applies a route's rate limit, the same in both hosts.</summary>
public sealed class RoutePolicy(PublicRateLimiter limiter)
{
    /// <summary>Null when the request may go on; the 429 answer when its client is over the limit.</summary>
    public IResult? Check(ApiRoute route, HttpRequest request) => route.RateLimited ? limiter.Check(request) : null;
}
