using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Feeds;

/// <summary>
/// Host names whose private or loopback addresses the SSRF guard lets through: the configured
/// <see cref="FetchOptions.AllowedPrivateHosts"/>, plus the hosts of feeds an admin added with
/// "allow private" (recorded on the feed, loaded at every poll). The guard still checks every
/// connection after DNS; this only widens which hosts may resolve inside.
/// </summary>
public sealed class PrivateHosts(IOptions<FetchOptions> options)
{
    private readonly ConcurrentDictionary<string, bool> _allowed = new(
        options.Value.AllowedPrivateHosts.Select(h => KeyValuePair.Create(h.Trim(), true)),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Every private address is allowed (tests, a trusted intranet).</summary>
    public bool AllowAll => options.Value.AllowPrivateNetworks;

    public bool IsAllowed(string host) => AllowAll || _allowed.ContainsKey(host);

    public void Allow(string host) => _allowed[host] = true;
}
