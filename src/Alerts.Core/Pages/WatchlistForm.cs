using System.Globalization;
using Alerts.Core.Matching;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Pages;

/// <summary>
/// The watchlist as a form: one line per group (<c>Name: alias, alias</c>), one line per word of a
/// list, the rule's fields. Reading a form starts from the version in force, so anything the form does
/// not show (a field added to watchlists later) is kept, not dropped.
/// </summary>
public static class WatchlistForm
{
    public static Markup Fields(Watchlist w)
    {
        var scopes = Enum.GetValues<MatchScope>().Select(s => (s.ToString().ToLowerInvariant(), s.ToString()));
        return Html.Of($"""
            <div class="field"><label for="description">Public description</label><input type="text" id="description" name="description" value="{w.Description}" maxlength="300">
            <p class="hint">What subscribers see on the home page.</p></div>
            <div class="field"><label for="entities">Parties (entity groups)</label><textarea id="entities" name="entities" aria-describedby="groups-hint">{Groups(w.Entities)}</textarea></div>
            <div class="field"><label for="topics">Topics</label><textarea id="topics" name="topics" aria-describedby="groups-hint">{Groups(w.Topics)}</textarea>
            <p class="hint" id="groups-hint">One group a line: <code>Name: alias, alias*, alias</code>. A trailing * matches word starts.</p></div>
            <div class="field"><label for="links">Words of dealing</label><textarea id="links" name="links" aria-describedby="list-hint">{Lines(w.Links)}</textarea></div>
            <div class="field"><label for="thirdParties">Third parties</label><textarea id="thirdParties" name="thirdParties" aria-describedby="list-hint">{Lines(w.ThirdParties)}</textarea></div>
            <div class="field"><label for="exclusions">Exclusions</label><textarea id="exclusions" name="exclusions" aria-describedby="list-hint">{Lines(w.Exclusions)}</textarea>
            <p class="hint" id="list-hint">One a line.</p></div>
            <fieldset><legend>Rule</legend><div class="inline">
            <div class="field"><label for="minEntityGroups">Parties at least</label><input type="number" id="minEntityGroups" name="minEntityGroups" min="0" max="20" value="{w.Rule.MinEntityGroups}"></div>
            <div class="field"><label for="minTopicGroups">Topics at least</label><input type="number" id="minTopicGroups" name="minTopicGroups" min="0" max="20" value="{w.Rule.MinTopicGroups}"></div>
            <div class="field"><label for="scope">Together within</label><select id="scope" name="scope">{Html.Options(scopes, w.Rule.Scope.ToString().ToLowerInvariant())}</select></div>
            <div class="field"><label for="minScore">Score at least</label><input type="number" id="minScore" name="minScore" min="0" max="100" step="0.25" value="{w.Rule.MinScore.ToString("0.##", CultureInfo.InvariantCulture)}"></div>
            </div></fieldset>
            """);
    }

    /// <summary>The draft the form describes, on top of the version in force (or a new one).</summary>
    /// <exception cref="WatchlistException">A field is not valid; the watchlist's own rules apply after.</exception>
    public static Watchlist Apply(string name, IFormCollection form, string? currentJson)
    {
        var w = currentJson is null ? new Watchlist { Name = name } : WatchlistJson.Parse(currentJson);
        w.Name = name;
        w.Description = PageKit.Field(form, "description");
        w.Entities = ParseGroups(form["entities"].ToString(), "entities");
        w.Topics = ParseGroups(form["topics"].ToString(), "topics");
        w.Links = ParseLines(form["links"].ToString());
        w.ThirdParties = ParseLines(form["thirdParties"].ToString());
        w.Exclusions = ParseLines(form["exclusions"].ToString());
        w.Rule.MinEntityGroups = Int(form, "minEntityGroups");
        w.Rule.MinTopicGroups = Int(form, "minTopicGroups");
        w.Rule.MinScore = double.TryParse(form["minScore"], NumberStyles.Float, CultureInfo.InvariantCulture, out var score) && double.IsFinite(score)
            ? score
            : throw new WatchlistException("rule.minScore", "must be a number");
        w.Rule.Scope = Enum.TryParse<MatchScope>(form["scope"], ignoreCase: true, out var scope) && Enum.IsDefined(scope)
            ? scope
            : throw new WatchlistException("rule.scope", "must be document, window or sentence");

        // Round trip through the JSON reader: the same validation as every other way in.
        return WatchlistJson.Parse(WatchlistJson.Write(w));
    }

    private static string Groups(IEnumerable<TermGroup> groups) => string.Join('\n', groups.Select(g => $"{g.Name}: {string.Join(", ", g.Aliases)}"));

    private static string Lines(IEnumerable<string> words) => string.Join('\n', words);

    private static List<TermGroup> ParseGroups(string text, string field)
    {
        var groups = new List<TermGroup>();
        foreach (var (line, number) in text.Split('\n').Select((l, i) => (l.Trim(), i + 1)).Where(x => x.Item1.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var groupName = (colon < 0 ? line : line[..colon]).Trim();
            var aliases = colon < 0 ? [groupName] : line[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            if (groupName.Length == 0 || aliases.Count == 0)
            {
                throw new WatchlistException(field, $"line {number} needs a name and at least one alias (Name: alias, alias)");
            }

            groups.Add(new TermGroup { Name = groupName, Aliases = aliases });
        }

        return groups;
    }

    private static List<string> ParseLines(string text) =>
        [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal)];

    private static int Int(IFormCollection form, string name) =>
        int.TryParse(form[name], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw new WatchlistException($"rule.{name}", "must be a whole number");
}
