using System.Net;
using System.Net.Sockets;
using Alerts.Core.Storage;

namespace Alerts.Core.Feeds;

/// <summary>A feed URL that cannot be watched; the message is one line for people.</summary>
public sealed class FeedUrlException(string message) : Exception(message);

/// <summary>A watched feed and its health, as the API, the CLI and the pages show it.</summary>
public sealed record FeedView(
    string Url,
    string? Title,
    bool Healthy,
    bool AllowPrivate,
    DateTimeOffset AddedAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? LastSuccessAt,
    int? LastStatus,
    int ConsecutiveFailures,
    string? LastError,
    DateTimeOffset? NextPollAt,
    int ItemCount,
    bool Paused = false)
{
    public static FeedView From(FeedEntity f) => new(
        f.Url, f.Title, f.ConsecutiveFailures == 0, f.AllowPrivate, f.AddedAt, f.LastAttemptAt, f.LastSuccessAt, f.LastStatus, f.ConsecutiveFailures, f.LastError, f.NextPollAt, f.ItemCount, f.Paused);
}

/// <summary>What one fetch of a feed gave, right now: its title and item count, or why it failed.</summary>
public sealed record FeedProbe(string Url, bool Ok, string? Title, int ItemCount, string? Error);

/// <summary>What an OPML import did.</summary>
public sealed record OpmlImport(int Feeds, int Added);

/// <summary>
/// The rules for the list of watched feeds, the same behind <c>/api/feeds</c>, <c>alerts feeds</c>
/// and the admin pages: only http(s) URLs; a URL whose host resolves only to private addresses is
/// refused at once (not every poll) unless the admin allows that host for this feed.
/// </summary>
public sealed class FeedService(FeedStore feeds, PrivateHosts privateHosts, FeedFetcher fetcher)
{
    public async Task<IReadOnlyList<FeedView>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await feeds.ListAsync(cancellationToken)).Select(FeedView.From)];

    /// <summary>Adds a feed; false when it was already watched.</summary>
    /// <param name="allowPrivate">The admin allows this feed's host to be on a private network (an intranet feed).</param>
    /// <exception cref="FeedUrlException">Not an http(s) URL, or it would be refused when fetched.</exception>
    public async Task<(string Url, bool Added)> AddAsync(string? url, bool allowPrivate, CancellationToken cancellationToken)
    {
        var uri = Checked(url);
        if (allowPrivate)
        {
            privateHosts.Allow(uri.IdnHost);
        }
        else
        {
            await RefusePrivateAsync(uri, cancellationToken);
        }

        var added = await feeds.AddAsync(uri.AbsoluteUri, allowPrivate, cancellationToken);
        return (uri.AbsoluteUri, added);
    }

    /// <summary>
    /// Fetches and parses a feed once, through the same guarded fetcher and parser as the poll, and
    /// says what came back; nothing is stored (the poll records health and items).
    /// </summary>
    public async Task<FeedProbe> ProbeAsync(string url, CancellationToken cancellationToken)
    {
        var fetched = await fetcher.FetchAsync(url, null, null, cancellationToken);
        if (fetched.Status != FetchStatus.Ok)
        {
            return new FeedProbe(url, false, null, 0, fetched.Error ?? "the feed could not be fetched");
        }

        var parsed = FeedParser.Parse(fetched.Body!, fetched.ContentType);
        return parsed.Ok
            ? new FeedProbe(url, true, parsed.Title, parsed.Items.Count, null)
            : new FeedProbe(url, false, null, 0, parsed.Error);
    }

    /// <summary>Pauses or resumes a feed (the poll skips paused feeds); false when it is not watched.</summary>
    public Task<bool> SetPausedAsync(string url, bool paused, CancellationToken cancellationToken) => feeds.SetPausedAsync(url.Trim(), paused, cancellationToken);

    /// <summary>Stops watching a feed; false when it was not watched.</summary>
    public Task<bool> RemoveAsync(string url, CancellationToken cancellationToken) => feeds.RemoveAsync(url.Trim(), cancellationToken);

    /// <summary>Adds every feed of an OPML document that is not watched yet (refused URLs are skipped: a list is not all-or-nothing).</summary>
    /// <exception cref="OpmlException">The document is not OPML.</exception>
    public async Task<OpmlImport> ImportOpmlAsync(Stream opml, CancellationToken cancellationToken)
    {
        var urls = Opml.ReadFeedUrls(opml);
        var added = 0;
        foreach (var url in urls)
        {
            try
            {
                added += (await AddAsync(url, allowPrivate: false, cancellationToken)).Added ? 1 : 0;
            }
            catch (FeedUrlException)
            {
                // Counted in Feeds, not in Added.
            }
        }

        return new OpmlImport(urls.Count, added);
    }

    public async Task<string> ExportOpmlAsync(CancellationToken cancellationToken) => Opml.Write(await feeds.ListAsync(cancellationToken));

    /// <summary>Loads the hosts of feeds added with "allow private" into the SSRF guard's allowance.</summary>
    public static void AllowPrivateHostsOf(IEnumerable<FeedEntity> watched, PrivateHosts privateHosts)
    {
        foreach (var feed in watched.Where(f => f.AllowPrivate))
        {
            if (Uri.TryCreate(feed.Url, UriKind.Absolute, out var uri))
            {
                privateHosts.Allow(uri.IdnHost);
            }
        }
    }

    private static Uri Checked(string? url)
    {
        try
        {
            return SsrfGuard.ParseFetchableUrl(url);
        }
        catch (SsrfException ex)
        {
            throw new FeedUrlException(ex.Message);
        }
    }

    /// <summary>Says now what every poll would say: this host resolves only to addresses the guard refuses.</summary>
    private async Task RefusePrivateAsync(Uri uri, CancellationToken cancellationToken)
    {
        var host = uri.IdnHost;
        if (privateHosts.IsAllowed(host))
        {
            return;
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            return; // does not resolve now: maybe later; the poll reports it
        }

        if (addresses.Length > 0 && addresses.All(SsrfGuard.IsForbidden))
        {
            throw new FeedUrlException($"{host} resolves to a private or reserved address ({addresses[0]}); if it is an intranet feed, add it allowing private addresses (alerts feeds add URL --allow-private)");
        }
    }
}
