using System.Text.Json.Serialization;

namespace Alerts.Core.Matching;

/// <summary>The text fields of an item, already plain text (HTML removed, entities decoded).</summary>
public readonly record struct MatchInput(string? Title, string? Summary, string? Content);

/// <summary>Which field of an item a hit is in.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ItemField>))]
public enum ItemField
{
    [JsonStringEnumMemberName("title")] Title,
    [JsonStringEnumMemberName("summary")] Summary,
    [JsonStringEnumMemberName("content")] Content,
}

[JsonConverter(typeof(JsonStringEnumConverter<HitKind>))]
public enum HitKind
{
    [JsonStringEnumMemberName("entity")] Entity,
    [JsonStringEnumMemberName("topic")] Topic,
    [JsonStringEnumMemberName("link")] Link,
    [JsonStringEnumMemberName("third-party")] ThirdParty,
}

/// <summary>One alias found in the text: <see cref="Start"/> and <see cref="Length"/> are character offsets in <see cref="Field"/>.</summary>
public sealed record Hit(string Term, string Alias, string Group, HitKind Kind, ItemField Field, int Start, int Length);

/// <summary>A range to highlight inside <see cref="Evidence.Sentence"/>.</summary>
public readonly record struct Highlight(int Start, int Length);

/// <summary>The sentence that carried the match, with its hits marked.</summary>
public sealed record Evidence(ItemField Field, string Sentence, IReadOnlyList<Highlight> Highlights);

/// <summary>Whether an item matched a watchlist, and why.</summary>
public sealed record MatchResult(
    string Watchlist,
    bool Matched,
    double Score,
    IReadOnlyList<string> Entities,
    IReadOnlyList<string> Topics,
    IReadOnlyList<Hit> Hits,
    Evidence? Evidence,
    string Reason)
{
    internal static MatchResult NoHits(string watchlist) => new(watchlist, false, 0, [], [], [], null, "no watched entity or topic mentioned");
}
