using System.Globalization;

namespace Alerts.Cli.Commands;

/// <summary>How commands write times and counts for people.</summary>
internal static class Display
{
    public static string Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) ?? "never";

    /// <summary>"1 story", "3 stories": a count with the right noun.</summary>
    public static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n.ToString(CultureInfo.InvariantCulture)} {many}";
}
