using Alerts.Core.Storage;

namespace Alerts.Core.Api;

/// <summary><c>GET /api/subscribers</c>: the admin's list.</summary>
public sealed class SubscribersHandler(SubscriberStore subscribers)
{
    public async Task<Microsoft.AspNetCore.Http.IResult> ListAsync(CancellationToken cancellationToken) =>
        ApiJson.Ok(new
        {
            items = (await subscribers.ListAsync(cancellationToken)).Select(s => new
            {
                email = s.Email,
                name = s.Name,
                watchlists = s.WatchlistList,
                cadence = s.Cadence,
                timeZone = s.TimeZone,
                confirmed = s.Confirmed,
                createdAt = s.CreatedAt,
                lastDigestAt = s.LastDigestAt,
            }),
        });
}
