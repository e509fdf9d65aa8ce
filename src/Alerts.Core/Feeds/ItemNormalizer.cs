using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Alerts.Core.Feeds;

/// <summary>Turns parser output into <see cref="NewsItem"/>s: plain text, canonical links, stable keys.</summary>
public static class ItemNormalizer
{
    private const int MaxFieldChars = 200_000;

    private static readonly string[] TrackingParameters = ["fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_hsenc", "_hsmi", "ref_src", "cmpid"];

    public static NewsItem Normalize(RawItem raw, string feedUrl, string? language)
    {
        var title = HtmlText.ToPlainText(raw.Title, MaxFieldChars);
        var summary = HtmlText.ToPlainText(raw.Description, MaxFieldChars);
        var content = HtmlText.ToPlainText(raw.Content, MaxFieldChars);
        if (content == summary)
        {
            content = "";
        }

        var link = CanonicalLink(raw.Link);
        var identity = !string.IsNullOrWhiteSpace(raw.Id) ? "id:" + raw.Id.Trim()
            : link is not null ? "link:" + link
            : "text:" + title + "\n" + summary;
        var key = Keys.Hex(identity);
        return new NewsItem(key, StoryKey(title) ?? key, feedUrl, title, summary, content, link, raw.PublishedAt, language);
    }

    /// <summary>
    /// The same story under another link: a title fingerprint (words folded and sorted, a short trailing
    /// publisher segment such as " - Reuters" dropped). Null for titles too short to tell stories apart.
    /// </summary>
    public static string? StoryKey(string title)
    {
        foreach (var separator in new[] { " - ", " | ", " — ", " – " })
        {
            var cut = title.LastIndexOf(separator, StringComparison.Ordinal);
            if (cut > 0 && title[(cut + separator.Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 3)
            {
                title = title[..cut];
                break;
            }
        }

        var words = Matching.TextFolder.FoldTerm(title)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length >= 3 && !StopWords.Contains(w))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return words.Count >= 5 ? Keys.Hex("story:" + string.Join(' ', words)) : null;
    }

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "from", "after", "over", "into", "its", "has", "have", "are", "was", "were", "says", "said", "amid", "new",
    };

    /// <summary>
    /// The key of a canonical link that names one article (it has a path or a query); null for none or a
    /// bare home page, which many feeds give every item.
    /// </summary>
    public static string? LinkKeyOf(string? canonicalLink) =>
        canonicalLink is not null && Uri.TryCreate(canonicalLink, UriKind.Absolute, out var uri) && (uri.AbsolutePath.Length > 1 || uri.Query.Length > 1)
            ? Keys.Hex("link:" + canonicalLink)
            : null;

    /// <summary>http(s) link with tracking parameters and the fragment removed; null when the link is not http(s).</summary>
    public static string? CanonicalLink(string? link)
    {
        if (string.IsNullOrWhiteSpace(link) || !Uri.TryCreate(WebUtility.HtmlDecode(link.Trim()), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        var query = uri.Query.TrimStart('?');
        var kept = new List<string>();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = pair.Split('=', 2)[0];
            if (name.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) || TrackingParameters.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            kept.Add(pair);
        }

        var builder = new UriBuilder(uri) { Fragment = "", Query = string.Join('&', kept) };
        if (builder.Uri.IsDefaultPort)
        {
            builder.Port = -1;
        }

        return builder.Uri.AbsoluteUri;
    }
}

/// <summary>Keys safe for Table Storage, built in one place: lowercase hex (Base64 has '/', which keys forbid).</summary>
public static class Keys
{
    /// <summary>First 128 bits of SHA-256, as 32 hex characters.</summary>
    public static string Hex(string value)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
