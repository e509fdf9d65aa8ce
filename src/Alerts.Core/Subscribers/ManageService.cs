using Alerts.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Alerts.Core.Subscribers;

/// <summary>A subscription as it was just before its owner left: enough to undo leaving.</summary>
public sealed record Departure(string Email, string? Name, IReadOnlyList<string> Watchlists, string Cadence, string TimeZone, DateTimeOffset Watermark);

/// <summary>What a change from the preferences page did.</summary>
public enum ManageOutcome
{
    Saved,

    /// <summary>No subscription for this address (left meanwhile).</summary>
    NotSubscribed,

    /// <summary>The link is invalid or has expired.</summary>
    BadLink,
}

/// <summary>
/// What the holder of a signed link from a digest may do: change cadence, time zone and watchlists,
/// pause, leave, and undo leaving — at once, without another confirmation email.
/// </summary>
/// <remarks>
/// Why directly, when a sign-up for a known address waits for the owner? A sign-up can be sent by
/// anyone for any address; a /manage or unsubscribe link is signed by us and was only ever sent to
/// the address itself, so whoever holds it has read that mailbox — the same proof the confirmation
/// link gives. The link changes preferences only (never the address, so it cannot redirect the
/// digests to someone else), and it expires. Someone the owner forwards a digest to can act for them,
/// as with every one-click unsubscribe link; the page says so. The rules for the values themselves
/// (known watchlists, cadences, IANA zones, limits) are <see cref="SubscriptionService.ValidateAsync"/>'s.
/// </remarks>
public sealed class ManageService(SubscriberStore subscribers, SubscriptionService subscriptions, TokenService tokens, TimeProvider time, ILogger<ManageService> logger)
{
    /// <summary>The address a valid /manage link was made for; null for a bad or expired link.</summary>
    public string? EmailOf(string? token) => tokens.Validate(token, TokenPurpose.Manage);

    /// <summary>The subscription behind a valid link; null when the link is bad or nobody is subscribed.</summary>
    public async Task<SubscriberView?> GetAsync(string? token, CancellationToken cancellationToken)
    {
        var email = EmailOf(token);
        var subscriber = email is null ? null : await subscribers.GetAsync(email, cancellationToken);
        return subscriber is null ? null : SubscriberView.From(subscriber);
    }

    /// <summary>Applies new preferences at once (the link proves the mailbox).</summary>
    /// <exception cref="SubscriptionException">A value is not accepted; its field is named.</exception>
    public async Task<ManageOutcome> UpdateAsync(string? token, IReadOnlyList<string>? watchlists, string? cadence, string? timeZone, CancellationToken cancellationToken)
    {
        var email = EmailOf(token);
        if (email is null)
        {
            return ManageOutcome.BadLink;
        }

        var valid = await subscriptions.ValidateAsync(new SubscriptionRequest(email, null, watchlists, cadence, timeZone), cancellationToken);
        return await ChangeAsync(email, s =>
        {
            s.Watchlists = string.Join(',', valid.Watchlists);
            s.Cadence = valid.Cadence;
            s.TimeZone = valid.TimeZone;
            s.Confirmed = true; // only the mailbox's owner has this link
        }, cancellationToken);
    }

    /// <summary>Pauses or resumes the digests; the watermark stays, so resuming sends what matched meanwhile.</summary>
    public async Task<ManageOutcome> SetPausedAsync(string? token, bool paused, CancellationToken cancellationToken)
    {
        var email = EmailOf(token);
        return email is null ? ManageOutcome.BadLink : await ChangeAsync(email, s => s.Paused = paused, cancellationToken);
    }

    /// <summary>
    /// Removes the subscription of a valid unsubscribe or /manage link; what it was (to undo), or null
    /// for a bad link. Leaving twice is fine: the second time there is nothing to undo.
    /// </summary>
    public async Task<(string? Email, Departure? Departure)> LeaveAsync(string? token, TokenPurpose purpose, CancellationToken cancellationToken)
    {
        var email = tokens.Validate(token, purpose);
        if (email is null)
        {
            return (null, null);
        }

        var subscriber = await subscribers.GetAsync(email, cancellationToken);
        await subscribers.RemoveAsync(email, cancellationToken);
        logger.LogInformation("{Recipient} unsubscribed", email);
        return (email, subscriber is null ? null : new Departure(subscriber.Email, subscriber.Name, subscriber.WatchlistList, subscriber.Cadence, subscriber.TimeZone, subscriber.Watermark));
    }

    /// <summary>
    /// Undoes leaving with the link that was used to leave: the subscription comes back confirmed with
    /// the preferences it had. Its watermark comes back too, bounded to the first digest's look-back
    /// (it comes from the page), so nothing already sent is sent again and nothing since is lost.
    /// </summary>
    /// <returns>The address, or null for a bad link or when the address has a subscription again already.</returns>
    /// <exception cref="SubscriptionException">The preferences are not accepted (they came back from the page).</exception>
    public async Task<string?> UndoLeaveAsync(string? token, Departure wanted, CancellationToken cancellationToken)
    {
        var email = tokens.Validate(token, TokenPurpose.Unsubscribe) ?? tokens.Validate(token, TokenPurpose.Manage);
        if (email is null || !string.Equals(email, wanted.Email.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var valid = await subscriptions.ValidateAsync(new SubscriptionRequest(email, wanted.Name, wanted.Watchlists, wanted.Cadence, wanted.TimeZone), cancellationToken);
        var now = time.GetUtcNow();
        var subscriber = subscribers.NewSubscriber(valid.Email);
        subscriber.Name = valid.Name;
        subscriber.Watchlists = string.Join(',', valid.Watchlists);
        subscriber.Cadence = valid.Cadence;
        subscriber.TimeZone = valid.TimeZone;
        subscriber.Confirmed = true;
        subscriber.Watermark = wanted.Watermark > now ? now : wanted.Watermark < now - SubscriberStore.FirstDigestLookback ? now - SubscriberStore.FirstDigestLookback : wanted.Watermark;
        if (!await subscribers.TrySaveAsync(subscriber, cancellationToken))
        {
            return null; // subscribed again meanwhile: that subscription stands
        }

        logger.LogInformation("{Recipient} undid unsubscribing", email);
        return valid.Email;
    }

    private async Task<ManageOutcome> ChangeAsync(string email, Action<SubscriberEntity> change, CancellationToken cancellationToken)
    {
        // Read, change, write only the version read: a digest run moving the watermark meanwhile is kept.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var subscriber = await subscribers.GetAsync(email, cancellationToken);
            if (subscriber is null)
            {
                return ManageOutcome.NotSubscribed;
            }

            change(subscriber);
            if (await subscribers.TrySaveAsync(subscriber, cancellationToken))
            {
                return ManageOutcome.Saved;
            }
        }

        throw new InvalidOperationException($"the subscriber {email} kept changing while being updated");
    }
}
