using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Azure.Data.Tables;

namespace Alerts.UnitTests.Storage;

public sealed class LargeTextTests
{
    [Fact]
    public void WriteRead_TenThousandAliasWatchlist_RoundTripsCompressedInParts()
    {
        var watchlist = WatchlistJson.LoadDefault();
        watchlist.Entities[0].Aliases.AddRange(Enumerable.Range(0, 10_000).Select(i => $"Vessel {i:x5} Shipping Co"));
        var json = WatchlistJson.Write(watchlist);
        var entity = new TableEntity("p", "r");

        LargeText.Write(entity, "Json", json);

        Assert.True(json.Length > 32 * 1024, "more than one string property holds");
        Assert.False(entity.ContainsKey("Json"));
        Assert.All(entity.Where(p => p.Key.StartsWith("JsonGz", StringComparison.Ordinal) && p.Value is byte[]), p => Assert.True(((byte[])p.Value).Length <= 64 * 1024));
        Assert.Equal(json, LargeText.Read(entity, "Json"));
    }

    [Fact]
    public void WriteRead_ShortText_PlainProperty()
    {
        var entity = new TableEntity("p", "r");

        LargeText.Write(entity, "Json", "{}");

        Assert.Equal("{}", entity["Json"]);
        Assert.Equal("{}", LargeText.Read(entity, "Json"));
    }

    [Fact]
    public void Write_MoreThanARowHolds_TooLarge()
    {
        var random = new Random(1);
        var noise = new string([.. Enumerable.Range(0, 2_000_000).Select(_ => (char)random.Next(0x4E00, 0x9FFF))]);

        Assert.Throws<StoredTextTooLargeException>(() => LargeText.Write(new TableEntity("p", "r"), "Json", noise));
    }
}
