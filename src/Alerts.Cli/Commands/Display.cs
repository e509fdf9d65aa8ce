using System.Globalization;

namespace Alerts.Cli.Commands;

/// <summary>How commands write times and counts for people.</summary>
internal static class Display
{
    public static string Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) ?? "never";

    /// <summary>"42 s old", "3 min old": how long something has waited.</summary>
    public static string Age(TimeSpan? age) => age switch
    {
        null => "of unknown age",
        { TotalMinutes: < 2 } a => $"{a.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s old",
        { TotalHours: < 2 } a => $"{a.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} min old",
        var a => $"{a.Value.TotalHours.ToString("0", CultureInfo.InvariantCulture)} h old",
    };

    /// <summary>"1 story", "3 stories": a count with the right noun.</summary>
    public static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n.ToString(CultureInfo.InvariantCulture)} {many}";
}
