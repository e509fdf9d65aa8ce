using System.Text.Encodings.Web;
using System.Text.Json;
using Alerts.Core.Api;
using Alerts.Core.Matching;

namespace Alerts.Cli;

/// <summary>
/// JSON for people and scripts at a terminal: the API's shapes, but Persian, Korean and Russian text,
/// '+' and quotes left as they are, so an exported watchlist can be edited by hand. Only the CLI writes
/// this way; the HTTP API keeps the default, HTML-safe escaping.
/// </summary>
internal static class CliJson
{
    /// <summary>One value per line (JSON Lines): the API's names and null handling.</summary>
    public static JsonSerializerOptions Lines { get; } = new(ApiJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A watchlist as a file to edit: indented, as <see cref="WatchlistJson"/> reads it back.</summary>
    public static JsonSerializerOptions Watchlist { get; } = new(WatchlistJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Line<T>(T value) => JsonSerializer.Serialize(value, Lines);

    public static string Write(Watchlist watchlist) => JsonSerializer.Serialize(watchlist, Watchlist);
}
