using System.Security;
using System.Text;

namespace Alerts.Benchmarks;

/// <summary>
/// News-like RSS for the scale runs: feed <c>n</c>, version <c>v</c>, has 20 items (about 30 KB), about one
/// in fifty a seed article; version 2 of a feed replaces its first 5 items with new ones (a feed that moved on).
/// </summary>
internal sealed class BenchFeeds(int itemsPerFeed)
{
    private readonly string[] _seeds = Texts.Load("seeds");
    private readonly string[] _news = Texts.Load("feeds");

    public byte[] Build(int n, int version)
    {
        var random = new Random(n * 7919 + 7);
        var sb = new StringBuilder("""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench</title>""");
        for (var i = 0; i < itemsPerFeed; i++)
        {
            var fresh = version > 1 && i < 5;
            var pick = random.Next(1000);
            var text = pick % 50 == 0 ? _seeds[pick % _seeds.Length] : _news[(pick * 31 + (fresh ? version : 0)) % _news.Length];
            var title = text.Split('\n')[0];
            var id = fresh ? $"{n}-{i}-v{version}" : $"{n}-{i}";
            sb.Append("<item><title>").Append(SecurityElement.Escape(title.Length > 120 ? title[..120] : title)).Append(' ').Append(id).Append("</title>")
              .Append("<link>https://news.test/").Append(id).Append("</link>")
              .Append("<guid>bench-").Append(id).Append("</guid>")
              .Append("<description>").Append(SecurityElement.Escape(text.Length > 1500 ? text[..1500] : text)).Append("</description></item>");
        }

        return Encoding.UTF8.GetBytes(sb.Append("</channel></rss>").ToString());
    }
}
