using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Alerts.Core.Feeds;

namespace Alerts.Core.Pages;

/// <summary>Markup that is already safe to write as it is: only <see cref="Html.Of"/> and the few helpers of <see cref="Html"/> make it.</summary>
public readonly record struct Markup(string Value)
{
    public static Markup Empty { get; } = new("");

    public override string ToString() => Value;
}

/// <summary>
/// Builds HTML from an interpolated string, encoding every hole unless it is already <see cref="Markup"/>:
/// feed text, names and addresses cannot become markup by mistake. This is the one template mechanism
/// of the pages — no Razor source generator in the build and nothing host-specific, so the same
/// rendering runs under Kestrel and in the Functions worker.
/// </summary>
[InterpolatedStringHandler]
public ref struct HtmlHandler
{
    private readonly StringBuilder _builder;

    public HtmlHandler(int literalLength, int formattedCount) => _builder = new StringBuilder(literalLength + (formattedCount * 24));

    public readonly void AppendLiteral(string value) => _builder.Append(value);

    public readonly void AppendFormatted(Markup value) => _builder.Append(value.Value);

    public readonly void AppendFormatted(string? value) => _builder.Append(Html.Encode(value));

    public readonly void AppendFormatted<T>(T value)
    {
        switch (value)
        {
            case Markup markup:
                _builder.Append(markup.Value);
                break;
            case IEnumerable<Markup> many:
                foreach (var m in many)
                {
                    _builder.Append(m.Value);
                }

                break;
            case IFormattable formattable:
                _builder.Append(Html.Encode(formattable.ToString(null, CultureInfo.InvariantCulture)));
                break;
            default:
                _builder.Append(Html.Encode(value?.ToString()));
                break;
        }
    }

    public readonly void AppendFormatted<T>(T value, string? format)
        where T : IFormattable => _builder.Append(Html.Encode(value.ToString(format, CultureInfo.InvariantCulture)));

    internal readonly Markup ToMarkup() => new(_builder.ToString());
}

/// <summary>Encoding and the small pieces every page uses.</summary>
public static class Html
{
    // Every script as written (Korean, Persian, Russian stay readable in the source); only what HTML needs is escaped.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static Markup Of([InterpolatedStringHandlerArgument] ref HtmlHandler html) => html.ToMarkup();

    /// <summary>Text as HTML: escaped, and text-direction controls dropped (they spoof what people see).</summary>
    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var clean = text.Any(HtmlText.IsDirectionControl) ? new string([.. text.Where(c => !HtmlText.IsDirectionControl(c))]) : text;
        return Encoder.Encode(clean);
    }

    public static Markup Join(IEnumerable<Markup> parts) => new(string.Concat(parts.Select(p => p.Value)));

    /// <summary>A link to an address from a feed: only absolute http(s) becomes a link, anything else plain text.</summary>
    public static Markup ExternalLink(string? href, string text) =>
        Digests.DigestComposer.SafeLink(href) is { } safe
            ? Of($"<a href=\"{safe}\" rel=\"noopener noreferrer nofollow\">{text}</a>")
            : Of($"{text}");

    /// <summary>A query string from pairs; empty values are left out.</summary>
    public static string Query(params (string Name, string? Value)[] pairs)
    {
        var parts = pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>A sentence with the matched terms marked.</summary>
    public static Markup Highlighted(string sentence, IEnumerable<Matching.Highlight> highlights)
    {
        var parts = new List<Markup>();
        var at = 0;
        foreach (var h in highlights.Where(h => h.Start >= 0 && h.Length > 0 && h.Start + h.Length <= sentence.Length).OrderBy(h => h.Start))
        {
            if (h.Start < at)
            {
                continue;
            }

            parts.Add(Of($"{sentence[at..h.Start]}<mark>{sentence.Substring(h.Start, h.Length)}</mark>"));
            at = h.Start + h.Length;
        }

        parts.Add(Of($"{sentence[at..]}"));
        return Join(parts);
    }

    public static Markup When(DateTimeOffset? time) => time is { } t
        ? Of($"<time datetime=\"{t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\">{t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC</time>")
        : Of($"—");

    public static Markup Options(IEnumerable<(string Value, string Label)> options, string? selected) =>
        Join(options.Select(o => o.Value == selected
            ? Of($"<option value=\"{o.Value}\" selected>{o.Label}</option>")
            : Of($"<option value=\"{o.Value}\">{o.Label}</option>")));

    public static Markup Checked(bool on) => on ? new Markup(" checked") : Markup.Empty;
}
