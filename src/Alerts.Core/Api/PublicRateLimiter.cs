using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Api;

/// <summary>
/// Limits the anonymous routes (subscribe, confirm, unsubscribe, health) per client address, the same
/// in Functions and in <c>alerts serve</c>. The client is the connection's peer, unless that peer is
/// one of <see cref="ApiOptions.TrustedProxies"/>: then X-Forwarded-For is read from the right, and the
/// first address that is not a trusted proxy is the client. Entries to its left were written by whoever
/// sent the request and prove nothing, so a forged header cannot pick its own bucket.
/// </summary>
public sealed class PublicRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly IPNetwork[] _trusted;

    public PublicRateLimiter(IOptions<ApiOptions> options)
    {
        var perMinute = options.Value.PublicRequestsPerMinute;
        _trusted = ParseNetworks(options.Value.TrustedProxies);
        _limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(
            client,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true }));
    }

    /// <summary>Null when the request may go on; a 429 problem (with Retry-After) when the client is over its limit.</summary>
    public IResult? Check(HttpRequest request)
    {
        using var lease = _limiter.AttemptAcquire(ClientOf(request));
        if (lease.IsAcquired)
        {
            return null;
        }

        request.HttpContext.Response.Headers.RetryAfter = "60";
        return ApiJson.Problem(429, "Too many requests", "this address sent too many requests; try again in a minute");
    }

    /// <summary>The client address the limit applies to (IPv4-mapped IPv6 written as IPv4).</summary>
    public string ClientOf(HttpRequest request)
    {
        var client = request.HttpContext.Connection.RemoteIpAddress;
        if (client is null)
        {
            return "unknown";
        }

        if (IsTrusted(client))
        {
            var hops = request.Headers["X-Forwarded-For"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            for (var i = hops.Length - 1; i >= 0; i--)
            {
                if (!TryParseHop(hops[i], out var hop))
                {
                    break; // garbage from here on: the last trusted hop's peer is all we know
                }

                client = hop;
                if (!IsTrusted(hop))
                {
                    break;
                }
            }
        }

        return Normal(client).ToString();
    }

    /// <summary>
    /// An X-Forwarded-For entry: an address, optionally with a port as proxies write it
    /// (<c>203.0.113.7:51234</c>, <c>[2001:db8::1]:443</c>); an IPv6 address is never split on ':'.
    /// </summary>
    public static bool TryParseHop(string value, out IPAddress address)
    {
        if (IPAddress.TryParse(value, out var parsed) || (IPEndPoint.TryParse(value, out var endpoint) && (parsed = endpoint.Address) is not null))
        {
            address = Normal(parsed);
            return true;
        }

        address = IPAddress.None;
        return false;
    }

    /// <summary>Parses proxy addresses and networks (<c>10.0.0.0/8</c>, <c>::1</c>); the error names the bad entry.</summary>
    public static IPNetwork[] ParseNetworks(IEnumerable<string>? entries)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in entries ?? [])
        {
            var text = entry.Trim();
            if (IPNetwork.TryParse(text, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(text, out var address))
            {
                address = Normal(address);
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new FormatException($"'{entry}' is not an IP address or network");
            }
        }

        return [.. networks];
    }

    private bool IsTrusted(IPAddress address)
    {
        address = Normal(address);
        foreach (var network in _trusted)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public void Dispose() => _limiter.Dispose();
}
