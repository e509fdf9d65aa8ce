using Alerts.Core.Storage;

namespace Alerts.Core.Subscribers;

/// <summary>A subscriber as the admin API, the CLI and the pages show it.</summary>
public sealed record SubscriberView(
    string Email,
    string? Name,
    IReadOnlyList<string> Watchlists,
    string Cadence,
    string TimeZone,
    bool Confirmed,
    bool ChangePending,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastDigestAt,
    bool Paused = false)
{
    public static SubscriberView From(SubscriberEntity s) =>
        new(s.Email, s.Name, s.WatchlistList, s.Cadence, s.TimeZone, s.Confirmed, s.Pending is not null && s.Confirmed, s.CreatedAt, s.LastDigestAt, s.Paused);
}

/// <summary>
/// What an admin does with subscribers, from the API, the CLI or the pages: list them, add one
/// (confirmed at once, or through the same double opt-in as the public sign-up), remove one.
/// </summary>
public sealed class SubscriberService(SubscriberStore subscribers, SubscriptionService subscriptions)
{
    public async Task<IReadOnlyList<SubscriberView>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await subscribers.ListAsync(cancellationToken)).Select(SubscriberView.From)];

    /// <summary>Adds or updates a subscriber an admin vouches for: confirmed at once, preferences applied.</summary>
    /// <exception cref="SubscriptionException">Invalid input; <see cref="SubscriptionException.Field"/> names it.</exception>
    public async Task<(SubscriberView Subscriber, bool Added)> AddConfirmedAsync(SubscriptionRequest request, CancellationToken cancellationToken)
    {
        var valid = await subscriptions.ValidateAsync(request, cancellationToken);
        var (isNew, _) = await subscribers.UpsertAsync(valid.Email, valid.Name, valid.Watchlists, valid.Cadence, confirmed: true, cancellationToken, valid.TimeZone);
        var stored = await subscribers.GetAsync(valid.Email, cancellationToken);
        return (SubscriberView.From(stored!), isNew);
    }

    /// <summary>Sends the confirmation email of the double opt-in (rate-limited per address like the public sign-up).</summary>
    public Task<bool> InviteAsync(SubscriptionRequest request, CancellationToken cancellationToken) => subscriptions.SubscribeAsync(request, cancellationToken);

    /// <summary>Removes a subscriber; false when there was none.</summary>
    public Task<bool> RemoveAsync(string email, CancellationToken cancellationToken) => subscribers.RemoveAsync(email, cancellationToken);
}
