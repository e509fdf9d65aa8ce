using System.Text.Json;
using System.Text.Json.Serialization;

namespace Alerts.Core.Matching;

/// <summary>Reads and writes watchlists as the JSON admins edit, and loads the one that ships with the service.</summary>
public static class WatchlistJson
{
    public const string DefaultName = "default";

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <exception cref="WatchlistException">The JSON is not a valid watchlist.</exception>
    public static Watchlist Parse(string json)
    {
        Watchlist? watchlist;
        try
        {
            watchlist = JsonSerializer.Deserialize<Watchlist>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new WatchlistException(string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path, OneLine(ex.Message));
        }

        if (watchlist is null)
        {
            throw new WatchlistException("$", "a watchlist object is required");
        }

        WatchlistValidator.Validate(watchlist);
        return watchlist;
    }

    public static string Write(Watchlist watchlist) => JsonSerializer.Serialize(watchlist, Options);

    /// <summary>The Iran – North Korea – Russia, oil and arms watchlist that ships with the service.</summary>
    public static Watchlist LoadDefault()
    {
        using var stream = typeof(WatchlistJson).Assembly.GetManifestResourceStream("Alerts.Core.default-watchlist.json")
            ?? throw new InvalidOperationException("The default watchlist is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private static string OneLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        var cut = line.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? line[..cut] : line;
    }
}
