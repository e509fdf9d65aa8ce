using System.Text.Json.Serialization;

namespace Alerts.Core.Matching;

/// <summary>
/// A watchlist as admins write it (JSON): who (entity groups), what (topic groups), words that
/// signal a dealing between parties, phrases that look like hits but are not, and the rule.
/// </summary>
/// <remarks>
/// Alias syntax: matching is whole-word and case-insensitive; a trailing <c>*</c> matches any word
/// that starts with the alias (<c>export*</c>, Russian case endings <c>росси*</c>). Aliases in
/// Cyrillic and Arabic script match their case forms and suffixes (Россия matches России, Россией;
/// پهپاد matches پهپادهای), and aliases in Hangul match word starts because Korean particles attach to
/// the noun (북한이, 북한과); see <see cref="Morphology"/>.
/// </remarks>
public sealed class Watchlist
{
    public required string Name { get; set; }

    public string? Description { get; set; }

    public List<TermGroup> Entities { get; set; } = [];

    public List<TermGroup> Topics { get; set; } = [];

    /// <summary>
    /// The gazetteer compiled with this watchlist (<c>"default"</c>): weapons, companies, ports, agencies and
    /// officials that imply one of <see cref="Entities"/> and, where they have one, a topic. Null: none.
    /// </summary>
    public string? Gazetteer { get; set; }

    /// <summary>Words that say one party deals with another (supply, export, deliver, ...). They raise the score.</summary>
    public List<string> Links { get; set; } = [];

    /// <summary>
    /// Words of a dealing between parties named together (deal, agreement, pact, swap, barter): "Russia and
    /// Iran sign an oil swap deal" is a dealing, while "Russia and Iran export oil" names two exporters.
    /// </summary>
    public List<string> Agreements { get; set; } = [];

    /// <summary>
    /// Words of using or holding (fired, launched, deployed, flies): a dealing only when one country uses
    /// what another makes ("Russia fired North Korean KN-23s", "Iranian-made drones launched by Russia").
    /// </summary>
    public List<string> Uses { get; set; } = [];

    /// <summary>
    /// Other parties (China, India, Syria, ...): a word of dealing right next to one of them ("sales to
    /// China", "India keeps buying") is that party's dealing, not one between the watched entities.
    /// </summary>
    public List<string> ThirdParties { get; set; } = [];

    public List<string> Exclusions { get; set; } = [];

    public MatchRule Rule { get; set; } = new();
}

public sealed class TermGroup
{
    public required string Name { get; set; }

    public List<string> Aliases { get; set; } = [];

    /// <summary>
    /// Names that stand for the group only once an item has named it otherwise: "the North" in a story
    /// that has said North Korea. Alone, they are no mention ("the North Sea", "in the north of Iran").
    /// </summary>
    public List<string> ContextAliases { get; set; } = [];
}

public sealed class MatchRule
{
    /// <summary>At least this many distinct entity groups must be mentioned.</summary>
    public int MinEntityGroups { get; set; } = 2;

    /// <summary>At least this many distinct topic groups must be mentioned.</summary>
    public int MinTopicGroups { get; set; } = 1;

    /// <summary>Where the groups must occur together.</summary>
    public MatchScope Scope { get; set; } = MatchScope.Document;

    /// <summary>Score needed for a match; evidence in one sentence or the title raises the score.</summary>
    public double MinScore { get; set; }
}

[JsonConverter(typeof(MatchScopeConverter))]
public enum MatchScope
{
    /// <summary>Anywhere in title, summary and content.</summary>
    Document,

    /// <summary>Within three consecutive sentences of one field.</summary>
    Window,

    /// <summary>Within one sentence.</summary>
    Sentence,
}

/// <summary>Written in lower case as the documentation shows it ("document"); read in any case, so watchlists stored as "Document" still load.</summary>
internal sealed class MatchScopeConverter() : JsonStringEnumConverter<MatchScope>(System.Text.Json.JsonNamingPolicy.CamelCase);
