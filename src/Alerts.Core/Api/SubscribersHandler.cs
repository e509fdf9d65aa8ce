using Alerts.Core.Subscribers;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Api;

/// <summary>Answer of <c>GET /api/subscribers</c>.</summary>
public sealed record SubscriberList(IReadOnlyList<SubscriberView> Items);

/// <summary><c>GET /api/subscribers</c>: the admin's list, from <see cref="SubscriberService"/>.</summary>
public sealed class SubscribersHandler(SubscriberService subscribers)
{
    public async Task<IResult> ListAsync(CancellationToken cancellationToken) =>
        ApiJson.Ok(new SubscriberList(await subscribers.ListAsync(cancellationToken)));
}
