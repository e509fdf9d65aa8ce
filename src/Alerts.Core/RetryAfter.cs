using System.Net.Http.Headers;

namespace Alerts.Core;

/// <summary>How long a server asked us to wait (Retry-After as seconds or as a date), for feeds and for SendGrid alike.</summary>
public static class RetryAfter
{
    /// <returns>The wait, never negative; null when the server gave none.</returns>
    public static TimeSpan? Of(RetryConditionHeaderValue? value, DateTimeOffset now)
    {
        var wait = value?.Delta ?? (value?.Date is { } date ? date - now : null);
        return wait is { } w && w < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }
}
