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

/// <summary>
/// One route of the HTTP API: the Functions trigger that serves it, its methods, its route (written
/// with its <c>api/</c> prefix: the Functions host's own route prefix is empty so that the pages can
/// live at the root), and its policy.
/// </summary>
public sealed record ApiRoute(string Function, IReadOnlyList<string> Methods, string Route, RouteAccess Access, bool RateLimited)
{
    /// <summary>The path pattern as ASP.NET Core routing writes it.</summary>
    public string Pattern => "/" + Route;
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
        new("Check", ["POST"], "api/check", RouteAccess.Function, RateLimited: false),
        new("Matches", ["GET"], "api/matches", RouteAccess.Function, RateLimited: false),
        new("Health", ["GET"], "api/health", RouteAccess.Anonymous, RateLimited: true),
        new("Watchlists", ["GET"], "api/watchlists", RouteAccess.Admin, RateLimited: false),
        new("Watchlist", ["GET", "PUT", "DELETE"], "api/watchlists/{name}", RouteAccess.Admin, RateLimited: false),
        new("WatchlistTest", ["POST"], "api/watchlists/{name}/test", RouteAccess.Admin, RateLimited: false),
        new("Feeds", ["GET", "POST", "DELETE"], "api/feeds", RouteAccess.Admin, RateLimited: false),
        new("FeedsOpml", ["GET", "POST"], "api/feeds/opml", RouteAccess.Admin, RateLimited: false),
        new("Subscribers", ["GET"], "api/subscribers", RouteAccess.Admin, RateLimited: false),
        new("Subscribe", ["POST"], "api/subscribe", RouteAccess.Anonymous, RateLimited: true),
        new("Confirm", ["GET"], "api/confirm", RouteAccess.Anonymous, RateLimited: true),
        new("Unsubscribe", ["GET", "POST"], "api/unsubscribe", RouteAccess.Anonymous, RateLimited: true),
    ];

    private static readonly Dictionary<string, ApiRoute> ByName = All.ToDictionary(r => r.Function, StringComparer.Ordinal);

    /// <summary>The route a Functions trigger serves; null for functions that are not HTTP routes (timers).</summary>
    public static ApiRoute? OfFunction(string functionName) => ByName.GetValueOrDefault(functionName);
}

/// <summary>Applies a route's rate limit, and a page's sign-in requirement, the same in both hosts.</summary>
public sealed class RoutePolicy(PublicRateLimiter limiter, Pages.PageKit pages)
{
    /// <summary>Null when the request may go on; the 429 answer when its client is over the limit.</summary>
    public IResult? Check(ApiRoute route, HttpRequest request) => route.RateLimited ? limiter.Check(request) : null;

    /// <summary>
    /// Null when the page may be served; otherwise a 429 page, or — for a console page without a
    /// signed-in admin — the sign-in page (GET) or a 401 page (POST).
    /// </summary>
    public IResult? Check(Pages.PageRoute route, HttpContext context)
    {
        if (route.RateLimited && limiter.Check(context.Request) is not null)
        {
            context.Response.Headers.RetryAfter = "60";
            return pages.Error(context, 429, "Too many requests", "Please wait a minute and try again.", Pages.PageKit.BackLink("/", "Home"));
        }

        if (route.Access == Pages.PageAccess.Admin && pages.SignIn.Who(context) is null)
        {
            var here = context.Request.Path.Value + context.Request.QueryString.Value;
            return HttpMethods.IsGet(context.Request.Method)
                ? Pages.PageKit.SeeOther("/console/sign-in" + Pages.Html.Query(("next", Pages.ConsoleSignInPages.SafeNext(here) == "/console" ? null : here)))
                : pages.Error(context, 401, "Signed out", "Your console session has ended. Sign in again; then send the form again.", Pages.PageKit.BackLink("/console/sign-in", "Sign in"), Pages.PageArea.Console);
        }

        return null;
    }
}
