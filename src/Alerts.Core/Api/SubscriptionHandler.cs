using System.Net;
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
public sealed class SubscriptionHandler(SubscriptionService subscriptions)
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

    public async Task<IResult> ConfirmAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var email = await subscriptions.ConfirmAsync(request.Query["token"], cancellationToken);
        return email is null
            ? ApiJson.Problem(400, "Invalid link", "this confirmation link is invalid or has expired; subscribe again to get a new one", "token")
            : Page("Subscription confirmed", $"<p>Thank you. News alerts will go to {WebUtility.HtmlEncode(email)}.</p>");
    }

    /// <summary>GET: a page with one button, so that link scanners opening the URL do not unsubscribe anyone.</summary>
    public IResult UnsubscribePage(HttpRequest request)
    {
        var token = request.Query["token"].ToString();
        var email = subscriptions.CheckUnsubscribe(token);
        return email is null
            ? BadUnsubscribeLink
            : Page("Unsubscribe", $"""
                <p>Stop news alerts to {WebUtility.HtmlEncode(email)}?</p>
                <form method="post" action="?token={WebUtility.UrlEncode(token)}">
                <input type="hidden" name="List-Unsubscribe" value="One-Click">
                <button type="submit" style="padding:8px 16px">Unsubscribe</button></form>
                """);
    }

    /// <summary>POST: RFC 8058 one-click (mail clients post <c>List-Unsubscribe=One-Click</c>) or the page's button.</summary>
    public async Task<IResult> UnsubscribeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var email = await subscriptions.UnsubscribeAsync(request.Query["token"], cancellationToken);
        return email is null
            ? BadUnsubscribeLink
            : Page("Unsubscribed", $"<p>{WebUtility.HtmlEncode(email)} will receive no more news alerts.</p>");
    }

    private static IResult BadUnsubscribeLink => ApiJson.Problem(400, "Invalid link", "this unsubscribe link is invalid or has expired", "token");

    private static IResult Page(string title, string body) => Results.Content(
        $"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body style="font-family:Arial,Helvetica,sans-serif;padding:24px"><h1 style="font-size:20px">{title}</h1>{body}</body></html>""",
        "text/html; charset=utf-8");
}
