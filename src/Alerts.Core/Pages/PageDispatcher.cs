using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Pages;

/// <summary>
/// Which handler serves which page: one switch over <see cref="PageRoutes"/>, so <c>alerts serve</c>'s
/// endpoints and the Functions page triggers cannot drift apart.
/// </summary>
public sealed class PageDispatcher(
    SubscriberPages subscribers,
    ConsoleSignInPages signIn,
    DashboardPage dashboard,
    MatchesPage matches,
    WatchlistPages watchlists,
    FeedPages feeds,
    SubscriberAdminPages subscriberAdmin)
{
    /// <param name="value">The route's one parameter (<c>{name}</c>, <c>{file}</c>), when it has one.</param>
    public Task<IResult> HandleAsync(PageRoute route, HttpContext context, string? value, CancellationToken cancellationToken) => route.Function switch
    {
        "PageHome" => subscribers.HomeAsync(context, cancellationToken),
        "PageManage" => subscribers.ManageAsync(context, cancellationToken),
        "PageUnsubscribeUndo" => subscribers.UndoAsync(context, cancellationToken),
        "PageAsset" => Task.FromResult(AssetPages.Serve(context, value ?? "")),
        "PageSignIn" => signIn.SignInAsync(context, cancellationToken),
        "PageSignOut" => signIn.SignOutAsync(context, cancellationToken),
        "PageDashboard" => dashboard.ShowAsync(context, cancellationToken),
        "PageMatches" => matches.ShowAsync(context, cancellationToken),
        "PageWatchlists" => watchlists.ListAsync(context, cancellationToken),
        "PageWatchlist" => watchlists.EditAsync(context, value ?? "", cancellationToken),
        "PageFeeds" => feeds.ShowAsync(context, cancellationToken),
        "PageFeedsOpml" => feeds.ExportAsync(context, cancellationToken),
        "PageSubscribers" => subscriberAdmin.ShowAsync(context, cancellationToken),
        _ => throw new InvalidOperationException($"no handler for page {route.Function}"),
    };
}
