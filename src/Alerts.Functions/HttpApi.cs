using Alerts.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions;

/// <summary>The HTTP API: each trigger hands the request to the Core handler that <c>alerts serve</c> uses too.</summary>
public sealed class HttpApi(CheckHandler check, HealthHandler health, MatchesHandler matches, SubscriptionHandler subscriptions)
{
    [Function("Check")]
    public Task<IActionResult> CheckAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "check")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, check.HandleAsync(request, cancellationToken));

    [Function("Health")]
    public Task<IActionResult> HealthAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, health.HandleAsync(cancellationToken));

    [Function("Matches")]
    public Task<IActionResult> MatchesAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "matches")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, matches.HandleAsync(request, cancellationToken));

    [Function("Subscribe")]
    public Task<IActionResult> SubscribeAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "subscribe")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, subscriptions.SubscribeAsync(request, cancellationToken));

    [Function("Confirm")]
    public Task<IActionResult> ConfirmAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "confirm")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, subscriptions.ConfirmAsync(request, cancellationToken));

    [Function("Unsubscribe")]
    public Task<IActionResult> UnsubscribeAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "unsubscribe")] HttpRequest request, CancellationToken cancellationToken) =>
        Execute(request, HttpMethods.IsPost(request.Method) ? subscriptions.UnsubscribeAsync(request, cancellationToken) : Task.FromResult(subscriptions.UnsubscribePage(request)));

    /// <summary>Core handlers return minimal-API results; they write themselves to the ASP.NET Core response.</summary>
    private static async Task<IActionResult> Execute(HttpRequest request, Task<IResult> handler)
    {
        await (await handler).ExecuteAsync(request.HttpContext);
        return new EmptyResult();
    }
}
