using System.Collections.Concurrent;
using System.Text.Json;

namespace Alerts.Core.Matching;

/// <summary>
/// Names that imply a country (and often a topic): weapon systems and their designations, companies,
/// ports, plants, agencies, officials. An Su-35 is Russian and about arms; Rosneft is Russian and
/// about oil; Rajin is a North Korean port. A watchlist names a gazetteer (<c>"gazetteer": "default"</c>)
/// and every alias of an entry whose country is one of its entity groups is compiled into the same
/// automata, so a hit explains itself: "Su-35 → Russian fighter → Russia, arms".
/// </summary>
public sealed class GazetteerFile
{
    public int Version { get; set; }

    public string? Description { get; set; }

    public List<GazetteerEntry> Entries { get; set; } = [];
}

public sealed class GazetteerEntry
{
    public required string Name { get; set; }

    /// <summary>weapon, missile, drone, aircraft, ship, company, port, plant, agency, official, …</summary>
    public required string Kind { get; set; }

    /// <summary>The entity group the entry implies (Iran, North Korea, Russia).</summary>
    public required string Country { get; set; }

    /// <summary>The topic group the entry implies (arms, oil), or null.</summary>
    public string? Topic { get; set; }

    public string? Description { get; set; }

    /// <summary>
    /// Where the design comes from when the country makes another's (Geran-2: made in Russia, designed in Iran), or
    /// null. Such a name is itself a dealing between the two where both are named in one clause.
    /// </summary>
    public string? Origin { get; set; }

    /// <summary>For a theatre of war: the topic group of what the country fires there (arms), or null for any.</summary>
    public string? Fires { get; set; }

    public GazetteerAliases Aliases { get; set; } = new();

    /// <summary>The public page the entry was checked against.</summary>
    public string? Source { get; set; }

    /// <summary>
    /// True for things a country makes and others can receive, fire or fly (a fighter, a missile, a
    /// drone, a crude grade); false for those who act (companies, agencies, officials) and places.
    /// </summary>
    public bool IsProduct => Topic is not null && !ActorKinds.Contains(Kind);

    /// <summary>A news outlet (KCNA, TASS, IRNA): its country's name as a source, not as a party to a dealing.</summary>
    public bool IsMedia => string.Equals(Kind, "media", StringComparison.OrdinalIgnoreCase);

    /// <summary>A theatre of the country's war (Ukraine and its cities for Russia): what is fired or downed there is the country's to use.</summary>
    public bool IsTheatre => string.Equals(Kind, "theatre", StringComparison.OrdinalIgnoreCase);

    /// <summary>A company or an exporter: one that works in another country's fields and projects.</summary>
    public bool IsCompany => string.Equals(Kind, "company", StringComparison.OrdinalIgnoreCase) || string.Equals(Kind, "exporter", StringComparison.OrdinalIgnoreCase);

    /// <summary>An official or other person: one who arrives somewhere is visiting, not delivering.</summary>
    public bool IsPerson => string.Equals(Kind, "official", StringComparison.OrdinalIgnoreCase) || string.Equals(Kind, "person", StringComparison.OrdinalIgnoreCase);

    private static readonly HashSet<string> ActorKinds = new(StringComparer.OrdinalIgnoreCase)
    {
        "company", "exporter", "port", "plant", "factory", "agency", "ministry", "official", "person", "organisation",
        "organization", "unit", "bank", "place", "city", "region", "terminal", "refinery", "shipyard", "body", "media", "theatre",
    };

    /// <summary>How the explanation names it: "Su-35 → Russian fighter → Russia, arms".</summary>
    public string Explain()
    {
        var what = Description is { Length: > 0 and <= 60 } d ? d : $"{Country} {Kind}";
        var how = Topic is null ? $"{Name} → {what} → {Country}" : $"{Name} → {what} → {Country}, {Topic}";
        return Origin is null ? how : $"{how} (to {Origin}'s design)";
    }
}

public sealed class GazetteerAliases
{
    public List<string> En { get; set; } = [];

    public List<string> Ru { get; set; } = [];

    public List<string> Ko { get; set; } = [];

    public List<string> Fa { get; set; } = [];

    public IEnumerable<string> All => En.Concat(Ru).Concat(Ko).Concat(Fa);
}

/// <summary>The gazetteers that ship with the service, by name, parsed once per process.</summary>
public static class Gazetteers
{
    public const string DefaultName = "default";

    private static readonly ConcurrentDictionary<string, GazetteerFile> Loaded = new(StringComparer.Ordinal);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static bool Exists(string name) => name == DefaultName;

    /// <exception cref="WatchlistException">No gazetteer has that name.</exception>
    public static GazetteerFile Get(string name)
    {
        if (!Exists(name))
        {
            throw new WatchlistException("gazetteer", $"no gazetteer named '{name}' (known: {DefaultName})");
        }

        return Loaded.GetOrAdd(name, static n =>
        {
            using var stream = typeof(Gazetteers).Assembly.GetManifestResourceStream($"Alerts.Core.gazetteer-{n}.json")
                ?? throw new InvalidOperationException($"The gazetteer '{n}' is missing from the assembly.");
            return Parse(stream);
        });
    }

    public static GazetteerFile Parse(Stream json) =>
        JsonSerializer.Deserialize<GazetteerFile>(json, Options) ?? throw new InvalidDataException("a gazetteer object is required");

    public static GazetteerFile Parse(string json) =>
        JsonSerializer.Deserialize<GazetteerFile>(json, Options) ?? throw new InvalidDataException("a gazetteer object is required");
}
