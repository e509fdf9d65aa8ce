using System.Text.RegularExpressions;

namespace Alerts.Core.Matching;

/// <summary>A watchlist that cannot be used; <see cref="Field"/> names the offending field (JSON path).</summary>
public sealed class WatchlistException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
}

internal static partial class WatchlistValidator
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    public static void Validate(Watchlist watchlist)
    {
        if (!IsValidName(watchlist.Name))
        {
            throw new WatchlistException("name", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }

        if (watchlist.Entities.Count == 0)
        {
            throw new WatchlistException("entities", "at least one entity group is required");
        }

        CheckGroups(watchlist.Entities, "entities");
        CheckGroups(watchlist.Topics, "topics");
        CheckTerms(watchlist.Links, "links");
        CheckTerms(watchlist.Agreements, "agreements");
        CheckTerms(watchlist.Uses, "uses");
        if (watchlist.Gazetteer is { } gazetteer && !Gazetteers.Exists(gazetteer))
        {
            throw new WatchlistException("gazetteer", $"no gazetteer named '{gazetteer}' (known: {Gazetteers.DefaultName})");
        }

        CheckTerms(watchlist.ThirdParties, "thirdParties");
        CheckTerms(watchlist.Exclusions, "exclusions");

        var rule = watchlist.Rule ?? throw new WatchlistException("rule", "is required");
        if (rule.MinEntityGroups < 1 || rule.MinEntityGroups > watchlist.Entities.Count)
        {
            throw new WatchlistException("rule.minEntityGroups", $"must be between 1 and the number of entity groups ({watchlist.Entities.Count})");
        }

        if (rule.MinTopicGroups < 0 || rule.MinTopicGroups > watchlist.Topics.Count)
        {
            throw new WatchlistException("rule.minTopicGroups", $"must be between 0 and the number of topic groups ({watchlist.Topics.Count})");
        }

        if (double.IsNaN(rule.MinScore) || rule.MinScore < 0 || rule.MinScore > 100)
        {
            throw new WatchlistException("rule.minScore", "must be between 0 and 100");
        }

        if (!Enum.IsDefined(rule.Scope))
        {
            throw new WatchlistException("rule.scope", "must be document, window or sentence");
        }
    }

    private static void CheckGroups(List<TermGroup> groups, string field)
    {
        if (groups is null)
        {
            throw new WatchlistException(field, "is required");
        }

        if (groups.Count > WatchlistMatcher.MaxGroupCount)
        {
            throw new WatchlistException(field, $"at most {WatchlistMatcher.MaxGroupCount} groups");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            if (group is null || string.IsNullOrWhiteSpace(group.Name))
            {
                throw new WatchlistException($"{field}[{i}].name", "is required");
            }

            if (!names.Add(group.Name))
            {
                throw new WatchlistException($"{field}[{i}].name", $"'{group.Name}' is used twice");
            }

            if (group.Aliases is null || group.Aliases.Count == 0)
            {
                throw new WatchlistException($"{field}[{i}].aliases", "at least one alias is required");
            }

            CheckTerms(group.Aliases, $"{field}[{i}].aliases");
            CheckTerms(group.ContextAliases, $"{field}[{i}].contextAliases");
        }
    }

    private static void CheckTerms(List<string> terms, string field)
    {
        if (terms is null)
        {
            throw new WatchlistException(field, "must be a list (it may be empty)");
        }

        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            if (string.IsNullOrWhiteSpace(term) || TextFolder.FoldAlias(term.TrimEnd('*')).Length == 0)
            {
                throw new WatchlistException($"{field}[{i}]", "must contain a letter or digit");
            }

            if (term.Length > 200)
            {
                throw new WatchlistException($"{field}[{i}]", "is longer than 200 characters");
            }

            var star = term.IndexOf('*', StringComparison.Ordinal);
            if (star >= 0 && star != term.Length - 1)
            {
                throw new WatchlistException($"{field}[{i}]", "'*' is allowed only at the end");
            }
        }
    }
}
