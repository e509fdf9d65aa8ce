namespace Alerts.Core.Pages;

/// <summary>Who may open a page.</summary>
public enum PageAccess
{
    /// <summary>Anyone (a subscriber's pages are bound by the signed token in their link).</summary>
    Public,

    /// <summary>A signed-in admin: the session cookie from the sign-in form, or App Service authentication when configured.</summary>
    Admin,
}

/// <summary>
/// One web page: the Functions trigger that serves it, its methods, its route template (the same
/// template in ASP.NET Core routing and in the Functions host, whose route prefix is empty), and its policy.
/// </summary>
public sealed record PageRoute(string Function, IReadOnlyList<string> Methods, string Route, PageAccess Access, bool RateLimited)
{
    public string Pattern => "/" + Route;
}

/// <summary>
/// The pages' table, beside <see cref="Api.ApiRoutes"/>: both hosts map from it and apply it through
/// <see cref="Api.RoutePolicy"/>. Page triggers are anonymous to the Functions host (a browser cannot send
/// a function key); the admin pages are guarded by the policy instead. The console lives at
/// <c>/console</c>, not <c>/admin</c>: the Functions host reserves every route starting with "admin"
/// for its own admin API.
/// </summary>
public static class PageRoutes
{
    /// <summary>The home page's template: the Functions host refuses an empty route, and this one matches only "/" in both hosts.</summary>
    public const string HomeRoute = "{home:maxlength(0)?}";

    public static IReadOnlyList<PageRoute> All { get; } =
    [
        new("PageHome", ["GET", "POST"], HomeRoute, PageAccess.Public, RateLimited: true),
        new("PageManage", ["GET", "POST"], "manage", PageAccess.Public, RateLimited: true),
        new("PageUnsubscribeUndo", ["POST"], "unsubscribe/undo", PageAccess.Public, RateLimited: true),
        new("PageAsset", ["GET"], "assets/{file}", PageAccess.Public, RateLimited: false),
        new("PageSignIn", ["GET", "POST"], "console/sign-in", PageAccess.Public, RateLimited: true),
        new("PageSignOut", ["POST"], "console/sign-out", PageAccess.Admin, RateLimited: false),
        new("PageDashboard", ["GET"], "console", PageAccess.Admin, RateLimited: false),
        new("PageMatches", ["GET"], "console/matches", PageAccess.Admin, RateLimited: false),
        new("PageWatchlists", ["GET"], "console/watchlists", PageAccess.Admin, RateLimited: false),
        new("PageWatchlist", ["GET", "POST"], "console/watchlists/{name}", PageAccess.Admin, RateLimited: false),
        new("PageFeeds", ["GET", "POST"], "console/feeds", PageAccess.Admin, RateLimited: false),
        new("PageFeedsOpml", ["GET"], "console/feeds/opml", PageAccess.Admin, RateLimited: false),
        new("PageSubscribers", ["GET", "POST"], "console/subscribers", PageAccess.Admin, RateLimited: false),
    ];

    private static readonly Dictionary<string, PageRoute> ByName = All.ToDictionary(r => r.Function, StringComparer.Ordinal);

    public static PageRoute? OfFunction(string functionName) => ByName.GetValueOrDefault(functionName);
}
