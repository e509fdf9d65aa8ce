namespace Alerts.Core.Feeds;

/// <summary>
/// A feed item after normalisation: plain text, canonical link, a stable key for the item in its feed,
/// and a story key shared by copies of the same story in other feeds (syndication, publisher suffixes).
/// <see cref="LinkKey"/> identifies the item by its link as well: a story re-published under a new guid
/// (or with an edited title) keeps its link. Null when the link identifies nothing (none, or a home page).
/// </summary>
public sealed record NewsItem(
    string Key,
    string StoryKey,
    string FeedUrl,
    string Title,
    string Summary,
    string Content,
    string? Link,
    DateTimeOffset? PublishedAt,
    string? Language)
{
    public string? LinkKey { get; init; } = ItemNormalizer.LinkKeyOf(Link);
}

/// <summary>A parsed feed, or the one-line reason it could not be read.</summary>
public sealed record ParsedFeed(string? Title, string? Language, IReadOnlyList<RawItem> Items, string? Error)
{
    public bool Ok => Error is null;

    public static ParsedFeed Fail(string error) => new(null, null, [], error);
}

/// <summary>An item as the parser saw it, before normalisation.</summary>
public sealed record RawItem(string? Id, string? Title, string? Link, string? Description, string? Content, DateTimeOffset? PublishedAt);
