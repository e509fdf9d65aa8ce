using System.Globalization;
using CadenceRules = Alerts.Core.Digests.Cadence;
using Alerts.Core.Subscribers;
using Alerts.Core.Watchlists;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Pages;

/// <summary>The fields a subscriber chooses, as the sign-up and preferences forms show and read them.</summary>
public sealed record SubscriptionChoice(IReadOnlyList<string> Watchlists, string Cadence, string TimeZone)
{
    private static readonly (string Value, string Label)[] Days =
        [("mon", "Monday"), ("tue", "Tuesday"), ("wed", "Wednesday"), ("thu", "Thursday"), ("fri", "Friday"), ("sat", "Saturday"), ("sun", "Sunday")];

    // IANA zones only, as the subscription rules accept them; sorted, computed once.
    private static readonly Lazy<(string Value, string Label)[]> Zones = new(() =>
        [.. TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId && CadenceRules.FindTimeZone(z.Id) is not null).Select(z => z.Id)
            .Append(CadenceRules.DefaultTimeZone).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(id => (id, id.Replace('_', ' ')))]);

    /// <summary>
    /// The cadence as the rules spell it (<c>immediate</c>, <c>daily@HH</c>, <c>weekly@day</c>) from the
    /// form's three fields; what the rules do not accept is passed on for them to refuse with its field named.
    /// </summary>
    public static SubscriptionChoice Read(IFormCollection form)
    {
        var kind = PageKit.Field(form, "cadence") ?? "daily";
        var cadence = kind switch
        {
            "daily" => int.TryParse(PageKit.Field(form, "hour"), NumberStyles.None, CultureInfo.InvariantCulture, out var hour) ? $"daily@{hour:D2}" : "daily@x",
            "weekly" => $"weekly@{PageKit.Field(form, "day") ?? "mon"}",
            _ => kind,
        };
        var watchlists = form["watchlists"].Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => w!.Trim()).ToList();
        return new SubscriptionChoice(watchlists, cadence, PageKit.Field(form, "timeZone") ?? CadenceRules.DefaultTimeZone);
    }

    /// <summary>
    /// Checkboxes for the watchlists (their public descriptions, not internal names), the cadence and
    /// the time zone. <paramref name="browserZone"/> lets the page script preselect the browser's zone.
    /// </summary>
    public Markup Fields(IReadOnlyList<WatchlistSummary> available, SubscriptionException? error, bool browserZone)
    {
        var errorField = error?.Field;
        var message = error?.Message;
        var (kind, hour, day) = Parts(Cadence);
        var boxes = Html.Join(available.Select((w, i) => Html.Of($"""
            <label class="choice" for="wl-{i}"><input type="checkbox" id="wl-{i}" name="watchlists" value="{w.Name}"{Html.Checked(Watchlists.Contains(w.Name) || (Watchlists.Count == 0 && (available.Count == 1 || w.Name == Matching.WatchlistJson.DefaultName)))}><span>{PublicLabel(w)}</span></label>
            """)));
        var hours = Enumerable.Range(0, 24).Select(h => (h.ToString("D2", CultureInfo.InvariantCulture), $"{h:D2}:00"));
        return Html.Of($"""
            <fieldset{Invalid(errorField, "watchlists")}>
            <legend>What should we tell you about?</legend>
            {boxes}
            {ErrorFor(errorField, "watchlists", message)}
            </fieldset>
            <fieldset{Invalid(errorField, "cadence")}>
            <legend>How often?</legend>
            <label class="choice" for="cad-immediate"><input type="radio" id="cad-immediate" name="cadence" value="immediate"{Html.Checked(kind == "immediate")}><span>As soon as something matches</span></label>
            <label class="choice" for="cad-daily"><input type="radio" id="cad-daily" name="cadence" value="daily"{Html.Checked(kind == "daily")}><span>Once a day</span></label>
            <label class="choice" for="cad-weekly"><input type="radio" id="cad-weekly" name="cadence" value="weekly"{Html.Checked(kind == "weekly")}><span>Once a week (08:00)</span></label>
            <div class="inline">
            <div class="field"><label for="hour">Daily at</label><select id="hour" name="hour">{Html.Options(hours, hour)}</select></div>
            <div class="field"><label for="day">Weekly on</label><select id="day" name="day">{Html.Options(Days, day)}</select></div>
            </div>
            {ErrorFor(errorField, "cadence", message)}
            </fieldset>
            <div class="field">
            <label for="timeZone">Your time zone</label>
            <select id="timeZone" name="timeZone"{(browserZone ? new Markup(" data-browser-zone") : Markup.Empty)}{Described(errorField, "timeZone")}>{Html.Options(Zones.Value, TimeZone)}</select>
            <p class="hint">Daily and weekly emails arrive at that hour in this zone.</p>
            {ErrorFor(errorField, "timeZone", message)}
            </div>
            """);
    }

    /// <summary>A watchlist as the public sees it: its description, or its name made readable.</summary>
    public static string PublicLabel(WatchlistSummary w) =>
        string.IsNullOrWhiteSpace(w.Description) ? CultureInfo.InvariantCulture.TextInfo.ToTitleCase(w.Name.Replace('-', ' ')) : w.Description;

    public static Markup ErrorFor(string? errorField, string field, string? message = null) =>
        errorField is not null && errorField.StartsWith(field, StringComparison.OrdinalIgnoreCase)
            ? Html.Of($"<p class=\"field-error\" id=\"{field}-error\">{message ?? "Please check this."}</p>")
            : Markup.Empty;

    private static Markup Invalid(string? errorField, string field) =>
        errorField is not null && errorField.StartsWith(field, StringComparison.OrdinalIgnoreCase) ? Html.Of($" aria-describedby=\"{field}-error\"") : Markup.Empty;

    private static Markup Described(string? errorField, string field) =>
        errorField == field ? Html.Of($" aria-invalid=\"true\" aria-describedby=\"{field}-error\"") : Markup.Empty;

    private static (string Kind, string Hour, string Day) Parts(string cadence)
    {
        var parts = cadence.Split('@', 2);
        return parts[0] switch
        {
            "immediate" => ("immediate", "08", "mon"),
            "weekly" => ("weekly", "08", parts.Length > 1 ? parts[1] : "mon"),
            _ => ("daily", parts.Length > 1 ? parts[1] : "08", "mon"),
        };
    }
}
