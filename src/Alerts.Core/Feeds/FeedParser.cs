using CodeHollow.FeedReader;

namespace Alerts.Core.Feeds;

/// <summary>
/// Parses feed bytes with CodeHollow.FeedReader inside a guard: the parser throws XmlException,
/// NullReferenceException, ArgumentOutOfRangeException and more on real-world input, and none of
/// that may stop the poll of other feeds. What is not a feed becomes a one-line error for that feed.
/// </summary>
public static partial class FeedParser
{
    /// <summary>An entity whose value refers to other entities: the shape of "billion laughs" expansion attacks.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("""<!ENTITY\s+%?\s*[^\s]+\s+(["'])[^"']*&[^"']*\1""")]
    private static partial System.Text.RegularExpressions.Regex NestedEntity();

    /// <param name="contentType">The HTTP Content-Type, whose charset wins over the XML declaration.</param>
    public static ParsedFeed Parse(byte[] body, string? contentType = null)
    {
        if (body.Length == 0)
        {
            return ParsedFeed.Fail("not a feed: the response body is empty");
        }

        Feed feed;
        try
        {
            var (utf8, _) = FeedEncoding.ToUtf8(body, contentType);
            var head = System.Text.Encoding.UTF8.GetString(utf8, 0, Math.Min(utf8.Length, 65536));
            if (head.Contains("<!ENTITY", StringComparison.Ordinal) && NestedEntity().IsMatch(head))
            {
                // .NET would cut the expansion off at 10 M characters, after ~100 MB of work per poll: refuse early.
                return ParsedFeed.Fail("not a feed: the document defines nested entities (an entity-expansion attack?)");
            }

            feed = FeedReader.ReadFromByteArray(utf8);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ParsedFeed.Fail(Describe(ex, body));
        }

        var items = new List<RawItem>();
        foreach (var item in feed.Items ?? [])
        {
            // One bad item (a date like "2024-13-45") must not lose the rest of the feed.
            try
            {
                items.Add(new RawItem(item.Id, item.Title, item.Link, item.Description, item.Content, Published(item)));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                items.Add(new RawItem(Safe(() => item.Id), Safe(() => item.Title), Safe(() => item.Link), Safe(() => item.Description), Safe(() => item.Content), null));
                _ = ex;
            }
        }

        return new ParsedFeed(Safe(() => feed.Title), Safe(() => feed.Language), items, null);
    }

    private static DateTimeOffset? Published(FeedItem item)
    {
        try
        {
            if (item.PublishingDate is { } date && date.Year is > 1970 and < 3000)
            {
                return new DateTimeOffset(DateTime.SpecifyKind(date, date.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : date.Kind)).ToUniversalTime();
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            // Unparseable dates fall back to "first seen".
        }

        return null;
    }

    private static string? Safe(Func<string?> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static string Describe(Exception ex, byte[] body)
    {
        var head = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 512)).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (head.StartsWith("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase) || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase))
        {
            return "not a feed: the response is an HTML page";
        }

        if (head.Contains("<opml", StringComparison.OrdinalIgnoreCase))
        {
            return "not a feed: the document is an OPML subscription list";
        }

        return ex switch
        {
            System.Xml.XmlException xml => $"not a feed: malformed XML ({FeedFetcher.OneLine(xml)})",
            CodeHollow.FeedReader.Parser.FeedTypeNotSupportedException => $"not a feed: unsupported document type ({FeedFetcher.OneLine(ex)})",
            _ => $"not a feed: the parser failed ({ex.GetType().Name}: {FeedFetcher.OneLine(ex)})",
        };
    }
}
