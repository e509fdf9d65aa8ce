using System.Net;
using System.Net.Mail;
using System.Security.Cryptography;
using System.Text.Json;
using Alerts.Core.Digests;
using Alerts.Core.Email;
using Alerts.Core.Feeds;
using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Subscribers;

/// <summary>A subscription request that cannot be accepted; <see cref="Field"/> names the bad input.</summary>
public sealed class SubscriptionException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>What someone asks for when subscribing.</summary>
public sealed record SubscriptionRequest(string? Email, string? Name, IReadOnlyList<string>? Watchlists, string? Cadence, string? TimeZone);

/// <summary>A request after validation: normalised, deduplicated, every watchlist known.</summary>
public sealed record ValidSubscription(string Email, string? Name, IReadOnlyList<string> Watchlists, string Cadence, string TimeZone);

/// <summary>
/// Double opt-in: a request is only a wish until the owner of the address opens the emailed link.
/// A new address is stored unconfirmed; a known address keeps its preferences, and the requested ones
/// wait beside them until confirmed — so nobody can change someone else's subscription. The link is
/// bound to that one request: a later request makes it stale. Confirmation emails to one address are
/// limited (<see cref="ConfirmationInterval"/>, <see cref="ConfirmationsPerDay"/>) whoever asks, and
/// every request gets the same answer, so the limit reveals nothing about who subscribes.
/// </summary>
public sealed class SubscriptionService(
    SubscriberStore subscribers,
    WatchlistStore watchlists,
    IEmailSender sender,
    TokenService tokens,
    IOptions<AlertsOptions> options,
    TimeProvider time,
    ILogger<SubscriptionService> logger)
{
    public const int MaxNameLength = 100;
    public const int MaxWatchlists = 20;
    public static readonly TimeSpan ConfirmationInterval = TimeSpan.FromMinutes(10);
    public const int ConfirmationsPerDay = 5;

    /// <summary>Validates a request; the normalised values, or <see cref="SubscriptionException"/>.</summary>
    public async Task<ValidSubscription> ValidateAsync(SubscriptionRequest request, CancellationToken cancellationToken)
    {
        var email = ValidEmail(request.Email) ?? throw new SubscriptionException("email", $"'{Shorten(request.Email)}' is not a valid email address");
        var name = CleanName(request.Name);
        if (!Cadence.TryParse(request.Cadence ?? "daily", out var cadence))
        {
            throw new SubscriptionException("cadence", $"'{Shorten(request.Cadence)}' is not one of: immediate, daily, daily@HH, weekly, weekly@DAY");
        }

        var zone = request.TimeZone?.Trim() ?? Cadence.DefaultTimeZone;
        if (Cadence.FindTimeZone(zone) is null)
        {
            throw new SubscriptionException("timeZone", $"'{Shorten(zone)}' is not an IANA time zone (e.g. Europe/Berlin)");
        }

        var names = (request.Watchlists is { Count: > 0 } given ? given : [WatchlistJson.DefaultName])
            .Select(n => n?.Trim() ?? "")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (names.Count > MaxWatchlists)
        {
            throw new SubscriptionException("watchlists", $"at most {MaxWatchlists} watchlists");
        }

        // Checked last, the only step that needs storage: one cached list, however many names were sent.
        var known = await watchlists.GetNamesAsync(cancellationToken);
        foreach (var name2 in names)
        {
            if (!known.Contains(name2))
            {
                throw new SubscriptionException("watchlists", $"no watchlist named '{Shorten(name2)}'");
            }
        }

        return new ValidSubscription(email, name, names, cadence, zone);
    }

    /// <summary>
    /// Records the request as pending and emails a link to confirm it, unless the address had a
    /// confirmation email too recently; either way the caller learns nothing about the address.
    /// </summary>
    /// <returns>True when a confirmation email was sent.</returns>
    public async Task<bool> SubscribeAsync(SubscriptionRequest request, CancellationToken cancellationToken)
    {
        var valid = await ValidateAsync(request, cancellationToken);
        var now = time.GetUtcNow();
        var subscriber = await subscribers.GetAsync(valid.Email, cancellationToken) ?? subscribers.NewSubscriber(valid.Email);
        if (!MayEmail(subscriber, now))
        {
            logger.LogInformation("Confirmation to {Recipient} not sent: too many recently", valid.Email);
            return false;
        }

        var change = new PendingChange(valid.Name, valid.Watchlists, valid.Cadence, valid.TimeZone);
        var changing = subscriber.Confirmed;
        if (!changing)
        {
            // Nothing is sent to an unconfirmed address, so its preferences may show the latest request.
            Apply(subscriber, change);
        }

        subscriber.Pending = JsonSerializer.Serialize(change, JsonSerializerOptions.Web);
        subscriber.PendingId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var day = now.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        subscriber.ConfirmationsThatDay = subscriber.ConfirmationDay == day ? subscriber.ConfirmationsThatDay + 1 : 1;
        subscriber.ConfirmationDay = day;
        subscriber.LastConfirmationAt = now;
        if (!await subscribers.TrySaveAsync(subscriber, cancellationToken))
        {
            return false; // a concurrent request for the same address won; it sends the one email
        }

        var link = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/api/confirm?token={tokens.Create(TokenPurpose.Confirm, valid.Email, TokenService.ConfirmLifetime, subscriber.PendingId)}";
        var message = changing ? ChangeMessage(valid, link) : ConfirmMessage(valid, link);
        await sender.SendAsync(message, cancellationToken);
        return true;
    }

    /// <summary>Confirms the request a valid link was made for; the address, or null for a bad, expired or superseded link.</summary>
    public async Task<string?> ConfirmAsync(string? token, CancellationToken cancellationToken)
    {
        var claims = tokens.Read(token, TokenPurpose.Confirm);
        if (claims is null)
        {
            return null;
        }

        // Read, apply, write only the version read; a concurrent change (another click) means read again.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var subscriber = await subscribers.GetAsync(claims.Email, cancellationToken);
            if (subscriber is null)
            {
                return null;
            }

            if (claims.Nonce is not null)
            {
                if (claims.Nonce == subscriber.PendingId && subscriber.Pending is not null)
                {
                    Apply(subscriber, JsonSerializer.Deserialize<PendingChange>(subscriber.Pending, JsonSerializerOptions.Web)!);
                }
                else if (!subscriber.Confirmed || subscriber.PendingId is not null)
                {
                    return null; // a newer request replaced this one, or it was already used and something else is pending
                }
            }

            if (subscriber.Confirmed && subscriber.Pending is null)
            {
                return subscriber.Email; // already done: opening the link again changes nothing
            }

            subscriber.Confirmed = true;
            subscriber.Pending = null;
            subscriber.PendingId = null;
            if (await subscribers.TrySaveAsync(subscriber, cancellationToken))
            {
                return subscriber.Email;
            }
        }

        throw new InvalidOperationException($"the subscriber {claims.Email} kept changing while being confirmed");
    }

    /// <summary>The address a valid unsubscribe link was made for; null for a bad or expired link.</summary>
    public string? CheckUnsubscribe(string? token) => tokens.Validate(token, TokenPurpose.Unsubscribe);

    /// <summary>Removes the subscriber of a valid link (idempotent); the address, or null for a bad link.</summary>
    public async Task<string?> UnsubscribeAsync(string? token, CancellationToken cancellationToken)
    {
        var email = tokens.Validate(token, TokenPurpose.Unsubscribe);
        if (email is not null)
        {
            await subscribers.RemoveAsync(email, cancellationToken);
            logger.LogInformation("{Recipient} unsubscribed", email);
        }

        return email;
    }

    /// <summary>One mailbox, a dot in the domain, no display name, no control or direction characters; normalised, or null.</summary>
    public static string? ValidEmail(string? value)
    {
        var trimmed = value?.Trim();
        return trimmed is { Length: > 0 and <= 254 } && !trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            && MailAddress.TryCreate(trimmed, out var address) && address.Address == trimmed
            && address.Host.Contains('.', StringComparison.Ordinal) && !address.Host.EndsWith('.') && !address.Host.StartsWith('.')
            ? address.Address
            : null;
    }

    /// <summary>A display name: control and text-direction characters removed (they spoof what mail clients show), one line, at most <see cref="MaxNameLength"/> characters.</summary>
    public static string? CleanName(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var cleaned = HtmlText.OneLine(name);
        if (cleaned.Length > MaxNameLength)
        {
            throw new SubscriptionException("name", $"at most {MaxNameLength} characters");
        }

        return cleaned.Length == 0 ? null : cleaned;
    }

    private static bool MayEmail(SubscriberEntity subscriber, DateTimeOffset now)
    {
        var day = now.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return (subscriber.LastConfirmationAt is not { } last || now - last >= ConfirmationInterval)
            && (subscriber.ConfirmationDay != day || subscriber.ConfirmationsThatDay < ConfirmationsPerDay);
    }

    private static void Apply(SubscriberEntity subscriber, PendingChange change)
    {
        subscriber.Name = change.Name ?? subscriber.Name;
        subscriber.Watchlists = string.Join(',', change.Watchlists);
        subscriber.Cadence = change.Cadence;
        subscriber.TimeZone = change.TimeZone;
    }

    private static EmailMessage ConfirmMessage(ValidSubscription s, string link) => Message(
        s,
        link,
        "Confirm your news alerts subscription",
        $"Please confirm that you want news alerts about {string.Join(", ", s.Watchlists)} at {s.Email}.",
        "Confirm my subscription",
        "If you did not ask for this, ignore this email.");

    private static EmailMessage ChangeMessage(ValidSubscription s, string link) => Message(
        s,
        link,
        "Confirm changes to your news alerts",
        $"Someone asked to change the news alerts sent to {s.Email} to: {string.Join(", ", s.Watchlists)}, {s.Cadence} ({s.TimeZone}).",
        "Confirm these changes",
        "If you did not ask for this, ignore this email: nothing changes until the link is opened.");

    private static EmailMessage Message(ValidSubscription s, string link, string subject, string lead, string action, string footer)
    {
        var hours = TokenService.ConfirmLifetime.TotalHours.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
        var html = $"""
            <!DOCTYPE html><html><body style="font-family:Arial,Helvetica,sans-serif;padding:16px">
            <p>{WebUtility.HtmlEncode(lead)}</p>
            <p><a href="{WebUtility.HtmlEncode(link)}" style="color:#0b57d0">{WebUtility.HtmlEncode(action)}</a></p>
            <p style="font-size:12px;color:#777777">The link is valid for {hours} hours. {WebUtility.HtmlEncode(footer)}</p>
            </body></html>
            """;
        var text = $"{lead}\n{action}: {link}\n\nThe link is valid for {hours} hours. {footer}\n";
        // Unique per message: two confirmation emails are two files in the outbox, never one overwriting the other.
        var id = $"confirm-{SubscriberStore.KeyOf(s.Email)[..12]}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        return new EmailMessage(s.Email, s.Name, subject, html, text, id, new Dictionary<string, string>());
    }

    private static string Shorten(string? value) => value is null ? "" : value.Length <= 80 ? value : value[..80] + "…";
}
