using System.Globalization;

namespace Alerts.Core.Digests;

/// <summary>
/// How often a subscriber hears from us: <c>immediate</c> (after every poll that found something),
/// <c>daily</c> or <c>daily@HH</c> (that hour), <c>weekly</c> or <c>weekly@DAY</c> (Monday 08:00 by
/// default), always in the subscriber's IANA time zone.
/// </summary>
public static class Cadence
{
    public const string DefaultTimeZone = "UTC";

    public static bool TryParse(string? value, out string normalized)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var parts = value.Trim().ToLowerInvariant().Split('@', 2);
        switch (parts[0])
        {
            case "immediate" when parts.Length == 1:
                normalized = "immediate";
                return true;
            case "daily" when parts.Length == 1:
                normalized = "daily@08";
                return true;
            case "daily" when int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var hour) && hour is >= 0 and <= 23:
                normalized = $"daily@{hour:D2}";
                return true;
            case "weekly" when parts.Length == 1:
                normalized = "weekly@mon";
                return true;
            case "weekly" when DayOf(parts[1]) is not null:
                normalized = $"weekly@{parts[1][..3]}";
                return true;
            default:
                return false;
        }
    }

    /// <summary>An IANA time zone such as <c>Europe/Berlin</c>; null when unknown.</summary>
    public static TimeZoneInfo? FindTimeZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Utc;
        }

        // IANA names only, as promised: the system would also take Windows ids ("W. Europe Standard Time").
        return TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) && zone.HasIanaId ? zone : null;
    }

    /// <summary>True when a digest is due: the subscriber's local time has reached the hour (and day) and none went out in this period.</summary>
    public static bool IsDue(string cadence, string? timeZone, DateTimeOffset? lastDigestAt, DateTimeOffset now)
    {
        if (!TryParse(cadence, out var c) || c == "immediate")
        {
            return true;
        }

        var zone = FindTimeZone(timeZone) ?? TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var lastLocal = lastDigestAt is { } last ? TimeZoneInfo.ConvertTime(last, zone) : (DateTimeOffset?)null;
        var parts = c.Split('@');
        if (parts[0] == "daily")
        {
            var hour = int.Parse(parts[1], CultureInfo.InvariantCulture);
            return local.Hour >= hour && (lastLocal is null || lastLocal.Value.Date < local.Date);
        }

        var day = DayOf(parts[1])!.Value;
        return local.DayOfWeek == day && local.Hour >= 8 && (lastLocal is null || local - lastLocal.Value > TimeSpan.FromDays(6));
    }

    private static DayOfWeek? DayOf(string s) => s.Length < 3 ? null : s[..3] switch
    {
        "mon" => DayOfWeek.Monday,
        "tue" => DayOfWeek.Tuesday,
        "wed" => DayOfWeek.Wednesday,
        "thu" => DayOfWeek.Thursday,
        "fri" => DayOfWeek.Friday,
        "sat" => DayOfWeek.Saturday,
        "sun" => DayOfWeek.Sunday,
        _ => null,
    };
}
