using System.Net;
using System.Net.Mail;
using Alerts.Core.Digests;
using Alerts.Core.Email;
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

/// <summary>
/// Double opt-in: a request stores an unconfirmed subscriber and emails a signed, expiring link; the
/// link confirms. Unsubscribing takes a signed link and no login (RFC 8058 one-click).
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
    /// <summary>Validates a request; the normalised values, or <see cref="SubscriptionException"/>.</summary>
    public async Task<(string Email, IReadOnlyList<string> Watchlists, string Cadence, string TimeZone)> ValidateAsync(SubscriptionRequest request, CancellationToken cancellationToken)
    {
        var email = ValidEmail(request.Email) ?? throw new SubscriptionException("email", $"'{request.Email}' is not a valid email address");
        if (!Cadence.TryParse(request.Cadence ?? "daily", out var cadence))
        {
            throw new SubscriptionException("cadence", $"'{request.Cadence}' is not one of: immediate, daily, daily@HH, weekly, weekly@DAY");
        }

        var zone = request.TimeZone ?? Cadence.DefaultTimeZone;
        if (Cadence.FindTimeZone(zone) is null)
        {
            throw new SubscriptionException("timeZone", $"'{zone}' is not an IANA time zone (e.g. Europe/Berlin)");
        }

        // Checked last: the only step that needs storage.
        var names = request.Watchlists is { Count: > 0 } given ? given : [WatchlistJson.DefaultName];
        foreach (var name in names)
        {
            _ = await watchlists.GetAsync(name, cancellationToken) ?? throw new SubscriptionException("watchlists", $"no watchlist named '{name}'");
        }

        return (email, [.. names.Distinct(StringComparer.Ordinal)], cadence, zone);
    }

    /// <summary>Stores the subscriber unconfirmed (a confirmed one stays confirmed) and sends the confirmation link.</summary>
    public async Task SubscribeAsync(SubscriptionRequest request, CancellationToken cancellationToken)
    {
        var (email, names, cadence, zone) = await ValidateAsync(request, cancellationToken);
        var (_, wasConfirmed) = await subscribers.UpsertAsync(email, request.Name, names, cadence, confirmed: false, cancellationToken, zone);
        if (wasConfirmed)
        {
            logger.LogInformation("Subscription of {Recipient} updated; already confirmed", email);
            return;
        }

        var link = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/api/confirm?token={tokens.Create(TokenPurpose.Confirm, email, TokenService.ConfirmLifetime)}";
        var html = $"""
            <!DOCTYPE html><html><body style="font-family:Arial,Helvetica,sans-serif;padding:16px">
            <p>Please confirm that you want news alerts about {WebUtility.HtmlEncode(string.Join(", ", names))} at {WebUtility.HtmlEncode(email)}.</p>
            <p><a href="{WebUtility.HtmlEncode(link)}" style="color:#0b57d0">Confirm my subscription</a></p>
            <p style="font-size:12px;color:#777777">The link is valid for {TokenService.ConfirmLifetime.TotalHours:0} hours. If you did not ask for this, ignore this email.</p>
            </body></html>
            """;
        var text = $"Please confirm that you want news alerts about {string.Join(", ", names)} at {email}:\n{link}\n\nThe link is valid for {TokenService.ConfirmLifetime.TotalHours:0} hours. If you did not ask for this, ignore this email.\n";
        var id = $"confirm-{SubscriberStore.KeyOf(email)[..12]}-{time.GetUtcNow():yyyyMMddHHmmss}";
        await sender.SendAsync(new EmailMessage(email, request.Name, "Confirm your news alerts subscription", html, text, id, new Dictionary<string, string>()), cancellationToken);
    }

    /// <summary>Confirms the subscriber a valid link was made for; the address, or null for a bad or expired link.</summary>
    public async Task<string?> ConfirmAsync(string? token, CancellationToken cancellationToken)
    {
        var email = tokens.Validate(token, TokenPurpose.Confirm);
        var subscriber = email is null ? null : await subscribers.GetAsync(email, cancellationToken);
        if (subscriber is null)
        {
            return null;
        }

        if (!subscriber.Confirmed)
        {
            subscriber.Confirmed = true;
            await subscribers.SaveAsync(subscriber, cancellationToken);
        }

        return subscriber.Email;
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

    /// <summary>One mailbox, a dot in the domain, no display name; normalised, or null.</summary>
    public static string? ValidEmail(string? value)
    {
        var trimmed = value?.Trim();
        return trimmed is { Length: > 0 and <= 254 } && !trimmed.Any(char.IsWhiteSpace) && MailAddress.TryCreate(trimmed, out var address) && address.Address == trimmed
            && address.Host.Contains('.', StringComparison.Ordinal) && !address.Host.EndsWith('.') && !address.Host.StartsWith('.')
            ? address.Address
            : null;
    }
}
