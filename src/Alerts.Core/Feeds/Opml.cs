using System.Xml;
using System.Xml.Linq;
using Alerts.Core.Storage;

namespace Alerts.Core.Feeds;

/// <summary>The OPML is not usable; the message is one line for people.</summary>
public sealed class OpmlException(string message) : Exception(message);

/// <summary>OPML subscription lists in and out, and the list that ships with the service.</summary>
public static class Opml
{
    /// <summary>The default list of public news feeds on the subject.</summary>
    public static Stream Default() =>
        typeof(Opml).Assembly.GetManifestResourceStream("Alerts.Core.default-feeds.opml")
        ?? throw new InvalidOperationException("The default feed list is missing from the assembly.");

    /// <summary>Every http(s) <c>xmlUrl</c> in the document, in order, without duplicates.</summary>
    public static List<string> ReadFeedUrls(Stream stream)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = true });
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new OpmlException($"not valid OPML: {ex.Message}");
        }

        if (document.Root?.Name.LocalName != "opml")
        {
            throw new OpmlException($"not OPML: the root element is <{document.Root?.Name.LocalName}>");
        }

        var urls = new List<string>();
        foreach (var outline in document.Descendants().Where(e => e.Name.LocalName == "outline"))
        {
            var url = (string?)outline.Attribute("xmlUrl");
            if (string.IsNullOrWhiteSpace(url))
            {
                continue;
            }

            try
            {
                urls.Add(SsrfGuard.ParseFetchableUrl(url).AbsoluteUri);
            }
            catch (SsrfException ex)
            {
                throw new OpmlException($"outline '{(string?)outline.Attribute("text") ?? url}': {ex.Message}");
            }
        }

        return [.. urls.Distinct(StringComparer.Ordinal)];
    }

    public static string Write(IEnumerable<FeedEntity> feeds)
    {
        var body = new XElement("body", feeds.Select(f => new XElement("outline", new XAttribute("type", "rss"), new XAttribute("text", f.Title ?? f.Url), new XAttribute("xmlUrl", f.Url))));
        var opml = new XElement("opml", new XAttribute("version", "2.0"), new XElement("head", new XElement("title", "Alerts feeds")), body);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), opml).ToString();
    }
}
