using System.Net;
using System.Text;
using Alerts.Core.Email;
using Alerts.Core.Feeds;
using Alerts.Core.Matching;
using Alerts.Core.Storage;

namespace Alerts.Core.Digests;

/// <summary>
/// Builds a digest email from stored matches: one entry per story, newest and highest-scored first,
/// each with its sources, date, what matched and the sentence that carried it. Everything that came
/// from a feed is untrusted: HTML-escaped, links only http(s), no line breaks in the subject.
/// </summary>
public static class DigestComposer
{
    /// <param name="unsubscribeUrl">Signed one-click link; also sent as List-Unsubscribe (RFC 8058).</param>
    /// <param name="manageUrl">Signed link to the subscriber's preferences page.</param>
    public static EmailMessage Compose(SubscriberEntity subscriber, IReadOnlyList<MatchEntity> stories, string digestId, string unsubscribeUrl, string manageUrl)
    {
        var ordered = stories.OrderByDescending(s => (s.PublishedAt ?? s.MatchedAt).UtcDateTime.Date).ThenByDescending(s => s.Score).ToList();
        // The subject names the strongest story; the body lists newest first.
        var top = ordered.OrderByDescending(s => s.Score).ThenByDescending(s => s.PublishedAt ?? s.MatchedAt).First().Title;
        var subject = OneLine($"{ordered.Count} {(ordered.Count == 1 ? "story" : "stories")}: {top}");
        if (subject.Length > 150)
        {
            subject = subject[..149] + "…";
        }

        var html = new StringBuilder();
        var text = new StringBuilder();
        html.Append("<!DOCTYPE html><html><body style=\"margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;background:#ffffff\">");
        html.Append("<h1 style=\"font-size:20px;margin:0 0 12px\">").Append(Html(subject)).Append("</h1>");
        text.AppendLine(subject).AppendLine();
        foreach (var story in ordered)
        {
            var link = SafeLink(story.Link);
            var when = (story.PublishedAt ?? story.MatchedAt).ToString("yyyy-MM-dd HH:mm 'UTC'");
            var sources = story.SourceList;
            html.Append("<div style=\"margin:0 0 20px;padding:0 0 12px;border-bottom:1px solid #dddddd\">");
            html.Append("<h2 style=\"font-size:16px;margin:0 0 4px\">");
            if (link is not null)
            {
                html.Append("<a href=\"").Append(Html(link)).Append("\" style=\"color:#0b57d0\">").Append(Html(story.Title)).Append("</a>");
            }
            else
            {
                html.Append(Html(story.Title));
            }

            html.Append("</h2><p style=\"font-size:12px;color:#555555;margin:0 0 6px\">")
                .Append(Html(when)).Append(" · ").Append(sources.Count == 1 ? "1 source" : $"reported by {sources.Count} sources")
                .Append(" · ").Append(Html(story.Entities)).Append(" · ").Append(Html(story.Topics))
                .Append(" · score ").Append(story.Score.ToString("0.#")).Append("</p>");
            if (story.Evidence is { Length: > 0 } evidence)
            {
                html.Append("<p style=\"font-size:14px;margin:0\">").Append(Highlighted(evidence, story.HighlightList)).Append("</p>");
            }

            html.Append("</div>");

            text.AppendLine(OneLine(story.Title));
            if (link is not null)
            {
                text.AppendLine(link);
            }

            text.AppendLine($"{when} | {(sources.Count == 1 ? "1 source" : $"reported by {sources.Count} sources")} | {story.Entities} | {story.Topics}");
            if (story.Evidence is { Length: > 0 })
            {
                text.AppendLine("> " + OneLine(story.Evidence));
            }

            text.AppendLine();
        }

        html.Append("<p style=\"font-size:12px;color:#777777\">You receive this because you subscribed to ")
            .Append(Html(subscriber.Watchlists)).Append(". <a href=\"").Append(Html(manageUrl)).Append("\" style=\"color:#777777\">Manage your alerts</a> · <a href=\"")
            .Append(Html(unsubscribeUrl)).Append("\" style=\"color:#777777\">Unsubscribe</a></p></body></html>");
        text.AppendLine($"You receive this because you subscribed to {subscriber.Watchlists}.");
        text.AppendLine($"Manage your alerts: {manageUrl}");
        text.AppendLine($"Unsubscribe: {unsubscribeUrl}");
        var headers = new Dictionary<string, string>
        {
            ["List-Unsubscribe"] = $"<{unsubscribeUrl}>",
            ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
        };
        return new EmailMessage(subscriber.Email, subscriber.Name, subject, html.ToString(), text.ToString(), digestId, headers);
    }

    private static string Highlighted(string sentence, IReadOnlyList<Highlight> highlights)
    {
        var sb = new StringBuilder();
        var at = 0;
        foreach (var h in highlights.Where(h => h.Start >= 0 && h.Length > 0 && h.Start + h.Length <= sentence.Length).OrderBy(h => h.Start))
        {
            if (h.Start < at)
            {
                continue;
            }

            sb.Append(Html(sentence[at..h.Start])).Append("<strong style=\"background:#fff3b0\">").Append(Html(sentence.Substring(h.Start, h.Length))).Append("</strong>");
            at = h.Start + h.Length;
        }

        return sb.Append(Html(sentence[at..])).ToString();
    }

    // Feed text is cleaned when polled; matches stored before that still pass through here, so
    // direction controls are dropped at the last step too.
    private static string Html(string s) => WebUtility.HtmlEncode(s.Any(HtmlText.IsDirectionControl) ? new string([.. s.Where(c => !HtmlText.IsDirectionControl(c))]) : s);

    private static string OneLine(string s) => HtmlText.OneLine(s);

    /// <summary>Only absolute http(s) links reach an email; javascript:, data: and the rest are dropped.</summary>
    public static string? SafeLink(string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri.AbsoluteUri : null;
}
