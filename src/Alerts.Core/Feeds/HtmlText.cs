using System.Net;
using System.Text;

namespace Alerts.Core.Feeds;

/// <summary>
/// HTML to plain text for matching and email: tags dropped (block tags become line breaks, which
/// end sentences), script and style bodies removed, entities decoded, whitespace collapsed,
/// Unicode normalised (NFKC) so that look-alike forms match the same aliases.
/// </summary>
public static class HtmlText
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "blockquote", "section", "article", "header", "footer", "pre", "hr", "dd", "dt",
    };

    public static string ToPlainText(string? html, int maxChars = int.MaxValue)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }

        var text = html.Contains('<', StringComparison.Ordinal) ? StripTags(html) : html;
        // Entities may be escaped twice in feeds ("&amp;amp;"); decode until stable, at most twice.
        for (var i = 0; i < 2 && text.Contains('&', StringComparison.Ordinal); i++)
        {
            text = WebUtility.HtmlDecode(text);
        }

        if (!text.IsNormalized(NormalizationForm.FormKC))
        {
            text = text.Normalize(NormalizationForm.FormKC);
        }

        text = Collapse(text);
        return text.Length > maxChars ? text[..maxChars] : text;
    }

    private static string StripTags(string html)
    {
        var sb = new StringBuilder(html.Length);
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c != '<')
            {
                sb.Append(c);
                i++;
                continue;
            }

            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                var endComment = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = endComment < 0 ? html.Length : endComment + 3;
                continue;
            }

            var end = html.IndexOf('>', i + 1);
            if (end < 0)
            {
                sb.Append(html, i, html.Length - i);
                break;
            }

            var name = TagName(html.AsSpan(i + 1, end - i - 1));
            if (name.Equals("script", StringComparison.OrdinalIgnoreCase) || name.Equals("style", StringComparison.OrdinalIgnoreCase))
            {
                var close = html.IndexOf("</" + name.ToString(), end, StringComparison.OrdinalIgnoreCase);
                var closeEnd = close < 0 ? -1 : html.IndexOf('>', close);
                i = closeEnd < 0 ? html.Length : closeEnd + 1;
                continue;
            }

            sb.Append(BlockTags.Contains(name.ToString()) ? '\n' : ' ');
            i = end + 1;
        }

        return sb.ToString();
    }

    private static ReadOnlySpan<char> TagName(ReadOnlySpan<char> inside)
    {
        inside = inside.TrimStart('/');
        var n = 0;
        while (n < inside.Length && char.IsAsciiLetterOrDigit(inside[n]))
        {
            n++;
        }

        return inside[..n];
    }

    /// <summary>
    /// Explicit text-direction controls (embeddings, overrides, isolates, marks). They make a title or
    /// a name display as something else ("moc.elpmaxe" read backwards); news text never needs them.
    /// The zero-width non-joiner, which Persian spelling needs, is not one of them.
    /// </summary>
    public static bool IsDirectionControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';

    /// <summary>One line of plain text for a subject or a name: line breaks, controls and direction controls gone, spaces collapsed.</summary>
    public static string OneLine(string text) => Collapse(text).Replace('\n', ' ');

    /// <summary>Runs of spaces become one space; runs of line breaks one line break; no control or direction characters.</summary>
    private static string Collapse(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        var pendingBreak = false;
        foreach (var c in text)
        {
            if (IsDirectionControl(c))
            {
                continue;
            }

            if (c is '\n' or '\r' or '\u2028' or '\u2029')
            {
                pendingBreak = true;
            }
            else if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = true;
            }
            else
            {
                if (sb.Length > 0 && (pendingBreak || pendingSpace))
                {
                    sb.Append(pendingBreak ? '\n' : ' ');
                }

                pendingBreak = pendingSpace = false;
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
