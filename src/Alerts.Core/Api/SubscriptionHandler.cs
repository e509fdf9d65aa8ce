using Alerts.Core.Subscribers;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Api;

/// <summary>Body of <c>POST /api/subscribe</c>; <c>watchlist</c> (one name) is accepted beside <c>watchlists</c>.</summary>
public sealed record SubscribeRequest(string? Email, string? Name, IReadOnlyList<string>? Watchlists, string? Watchlist, string? Cadence, string? TimeZone);

/// <summary>Answer of <c>POST /api/subscribe</c>: the same whatever the address.</summary>
public sealed record SubscribeAccepted(string Status, string Detail);

/// <summary>
/// The public, anonymous routes: <c>POST /api/subscribe</c>, <c>GET /api/confirm</c>, and
/// <c>GET/POST /api/unsubscribe</c> (a confirmation page, and RFC 8058 one-click). Bound by signed tokens.
/// </summary>
public sealed class SubscriptionHandler(SubscriptionService subscriptions, ManageService manage, Pages.SubscriberPages pages)
{
    public async Task<IResult> SubscribeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJson.ReadAsync<SubscribeRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var watchlists = body!.Watchlists ?? (body.Watchlist is null ? null : [body.Watchlist]);
        try
        {
            await subscriptions.SubscribeAsync(new SubscriptionRequest(body.Email, body.Name, watchlists, body.Cadence, body.TimeZone), cancellationToken);
        }
        catch (SubscriptionException ex)
        {
            return ApiJson.Problem(400, "Invalid subscription", ex.Message, ex.Field);
        }
        catch (Email.EmailSendException ex)
        {
            return ApiJson.Problem(503, "Confirmation email not sent", ex.Message);
        }

        // The same answer whether the address was new or known: nothing leaks about who subscribes.
        return Results.Json(new SubscribeAccepted("confirmation-sent", "check your inbox for a link to confirm"), ApiJson.Options, statusCode: 202);
    }

    /// <summary>GET: a browser gets a page in the site's look (an error page with a way forward); an API client the JSON answers.</summary>
    public async Task<IResult> ConfirmAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var email = await subscriptions.ConfirmAsync(request.Query["token"], cancellationToken);
        return email is not null
            ? pages.Confirmed(request.HttpContext, email)
            : WantsHtml(request)
                ? pages.BadLink(request.HttpContext, "confirmation")
                : ApiJson.Problem(400, "Invalid link", "this confirmation link is invalid or has expired; subscribe again to get a new one", "token");
    }

    /// <summary>GET: a page with one button, so that link scanners opening the URL do not unsubscribe anyone.</summary>
    public IResult UnsubscribePage(HttpRequest request)
    {
        var token = request.Query["token"].ToString();
        var email = subscriptions.CheckUnsubscribe(token);
        return email is null ? BadUnsubscribeLink(request) : pages.ConfirmLeaving(request.HttpContext, token, email);
    }

    /// <summary>POST: RFC 8058 one-click (mail clients post <c>List-Unsubscribe=One-Click</c>) or the page's button; the page offers to undo.</summary>
    public async Task<IResult> UnsubscribeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var token = request.Query["token"].ToString();
        var (email, departure) = await manage.LeaveAsync(token, TokenPurpose.Unsubscribe, cancellationToken);
        return email is null ? BadUnsubscribeLink(request) : pages.Left(request.HttpContext, token, email, departure);
    }

    private IResult BadUnsubscribeLink(HttpRequest request) => WantsHtml(request)
        ? pages.BadLink(request.HttpContext, "unsubscribe")
        : ApiJson.Problem(400, "Invalid link", "this unsubscribe link is invalid or has expired", "token");

    /// <summary>A browser (it asks for HTML) opened the link: it gets pages; API clients keep getting problem+json.</summary>
    private static bool WantsHtml(HttpRequest request) => request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
