using System.Globalization;

namespace Alerts.Core.Digests;

/// <summary>
/// How often a subscriber hears from us: <c>immediate</c>, <c>daily</c> (optionally <c>daily@HH</c>,
/// an hour in UTC; issue #5 adds IANA time zones) or <c>weekly</c> (optionally <c>weekly@mon</c>).
/// </summary>
public static class Cadence
{
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

    public static bool IsDue(string cadence, DateTimeOffset? lastDigestAt, DateTimeOffset now)
    {
        if (!TryParse(cadence, out var c) || c == "immediate")
        {
            return true;
        }

        var parts = c.Split('@');
        if (parts[0] == "daily")
        {
            var hour = int.Parse(parts[1], CultureInfo.InvariantCulture);
            return now.Hour >= hour && (lastDigestAt is null || lastDigestAt.Value.UtcDateTime.Date < now.UtcDateTime.Date);
        }

        var day = DayOf(parts[1])!.Value;
        return now.DayOfWeek == day && now.Hour >= 8 && (lastDigestAt is null || now - lastDigestAt.Value > TimeSpan.FromDays(6));
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
