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

/// <summary>
/// One alias found in the text: <see cref="Start"/> and <see cref="Length"/> are character offsets in <see cref="Field"/>.
/// <see cref="Via"/> says how a gazetteer name led to its group ("Su-35 → Russian fighter → Russia, arms"); null for watchlist aliases.
/// </summary>
public sealed record Hit(string Term, string Alias, string Group, HitKind Kind, ItemField Field, int Start, int Length, string? Via = null);

/// <summary>
/// How strong the evidence of a dealing is, whatever the watchlist's threshold decided:
/// <c>high</c>, a word of dealing governs two watched parties (or one party and another's product) in one
/// clause; <c>medium</c>, two parties, a topic and a word of dealing in one sentence, passage or title and
/// lead, but not clearly between them; <c>low</c>, two parties and a topic with no dealing recognised
/// (side by side, in a list, or someone else's dealing). Absent when the rule's groups are not all there.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<MatchConfidence>))]
public enum MatchConfidence
{
    [JsonStringEnumMemberName("low")] Low,
    [JsonStringEnumMemberName("medium")] Medium,
    [JsonStringEnumMemberName("high")] High,
}

/// <summary>A range to highlight inside <see cref="Evidence.Sentence"/>.</summary>
public readonly record struct Highlight(int Start, int Length);

/// <summary>The sentence that carried the match, with its hits marked.</summary>
public sealed record Evidence(ItemField Field, string Sentence, IReadOnlyList<Highlight> Highlights);

/// <summary>
/// Whether an item matched a watchlist, and why. <see cref="Matched"/> is the decision at the watchlist's
/// <c>minScore</c>; <see cref="Confidence"/> grades the evidence; <see cref="Article"/> is the page that was
/// fetched and scored when the feed's text alone fell short (null when the feed's text was scored).
/// </summary>
public sealed record MatchResult(
    string Watchlist,
    bool Matched,
    double Score,
    IReadOnlyList<string> Entities,
    IReadOnlyList<string> Topics,
    IReadOnlyList<Hit> Hits,
    Evidence? Evidence,
    string Reason,
    MatchConfidence? Confidence = null,
    string? Article = null)
{
    internal static MatchResult NoHits(string watchlist) => new(watchlist, false, 0, [], [], [], null, "no watched entity or topic mentioned");
}
