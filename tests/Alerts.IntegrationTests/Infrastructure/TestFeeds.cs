using System.Security;
using System.Text;

namespace Alerts.IntegrationTests;

/// <summary>Test feeds: the five seed articles plus unrelated items and hard negatives.</summary>
internal static class TestFeeds
{
    public static IReadOnlyList<(string Title, string Body)> Seeds() =>
        [.. Directory.GetFiles(Path.Combine(Paths.Shared, "seeds"), "*.txt").Order().Select(f =>
        {
            var text = File.ReadAllText(f);
            var title = text.Split('\n').Select(l => l.Trim()).First(l => l.Length > 0);
            return (title, text);
        })];

    public static readonly (string Title, string Body)[] Unrelated =
    [
        ("North Korea test-fires ballistic missile into the sea", "The launch was condemned by Japan and the United States."),
        ("Iran's oil exports to China hit a five-year high", "Chinese refiners bought more Iranian crude last month."),
        ("EU debates tighter enforcement of the Russian oil price cap", "Ministers met in Brussels."),
        ("South Korea's Samsung posts record chip profits", "Memory prices rose sharply."),
        ("Heavy rain expected across the weekend", "Forecasters warn of local flooding."),
        ("City council approves new cycling lanes", "Work starts in spring."),
    ];

    public static byte[] Rss(IEnumerable<(string Title, string Body)> items, string linkBase)
    {
        var sb = new StringBuilder("""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test wire</title><link>https://wire.test/</link><description>t</description>""");
        var i = 0;
        foreach (var (title, body) in items)
        {
            i++;
            sb.Append("<item><title>").Append(SecurityElement.Escape(title)).Append("</title>")
              .Append("<link>").Append(SecurityElement.Escape($"{linkBase}/story/{i}?utm_source=rss")).Append("</link>")
              .Append("<guid isPermaLink=\"false\">").Append(SecurityElement.Escape($"{linkBase}-guid-{i}")).Append("</guid>")
              .Append("<pubDate>").Append(DateTimeOffset.UtcNow.AddHours(-i).ToString("r")).Append("</pubDate>")
              .Append("<description>").Append(SecurityElement.Escape(body)).Append("</description></item>");
        }

        return Encoding.UTF8.GetBytes(sb.Append("</channel></rss>").ToString());
    }
}
