using System.Net;
using System.Net.Sockets;

namespace Alerts.Core.Feeds;

/// <summary>Outbound fetches refused because they would reach inside: loopback, private ranges, metadata endpoints.</summary>
public sealed class SsrfException(string message) : Exception(message);

/// <summary>
/// Decides which addresses an outbound fetch may connect to. The check runs in the socket connect
/// callback, after DNS resolution, so neither a redirect nor DNS rebinding can reach an internal address.
/// </summary>
public static class SsrfGuard
{
    /// <summary>True when the address is loopback, private, link-local, CGNAT, multicast, unspecified or reserved.</summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return b[0] switch
            {
                0 => true,                                   // "this network", 0.0.0.0
                10 => true,                                  // private
                127 => true,                                 // loopback
                100 when b[1] is >= 64 and <= 127 => true,   // CGNAT
                169 when b[1] == 254 => true,                // link-local, cloud metadata 169.254.169.254
                172 when b[1] is >= 16 and <= 31 => true,    // private
                192 when b[1] == 168 => true,                // private
                192 when b[1] == 0 && b[2] is 0 or 2 => true, // IETF protocol assignments, TEST-NET-1
                198 when b[1] is 18 or 19 => true,           // benchmarking
                198 when b[1] == 51 && b[2] == 100 => true,  // TEST-NET-2
                203 when b[1] == 0 && b[2] == 113 => true,   // TEST-NET-3
                >= 224 => true,                              // multicast, reserved, broadcast
                _ => false,
            };
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (IPAddress.IPv6Loopback.Equals(address) || IPAddress.IPv6None.Equals(address) || IPAddress.IPv6Any.Equals(address))
            {
                return true;
            }

            Span<byte> b = stackalloc byte[16];
            address.TryWriteBytes(b, out _);
            return address.IsIPv6LinkLocal
                || address.IsIPv6SiteLocal
                || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC                                   // unique local fc00::/7
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) // documentation 2001:db8::/32
                || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)  // NAT64 64:ff9b::/96 and 64:ff9b:1::/48 reach IPv4 inside
                || (b[0] == 0x20 && b[1] == 0x02)                                  // 6to4 2002::/16 wraps any IPv4 address
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) // Teredo 2001::/32 tunnels to IPv4
                || (b[0] == 0x01 && b[1] == 0x00 && b[2..8].IndexOfAnyExcept((byte)0) < 0) // discard-only 100::/64
                || (b[..8].IndexOfAnyExcept((byte)0) < 0 && b[8] == 0xFF && b[9] == 0xFF && b[10] == 0 && b[11] == 0) // IPv4-translated ::ffff:0:a.b.c.d
                || (b[..10].IndexOfAnyExcept((byte)0) < 0 && b[10] == 0 && b[11] == 0); // IPv4-compatible ::a.b.c.d
        }

        return true;
    }

    /// <summary>Checks the scheme of a URL the user gave: only absolute http and https.</summary>
    public static Uri ParseFetchableUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            throw new SsrfException($"'{Shorten(url)}' is not an absolute URL");
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new SsrfException($"scheme '{uri.Scheme}' is not allowed: only http and https");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new SsrfException("URLs with credentials are not allowed");
        }

        if (uri.Host.Length == 0)
        {
            throw new SsrfException($"'{Shorten(url)}' has no host");
        }

        return uri;
    }

    /// <summary>The connect callback for <see cref="SocketsHttpHandler"/>: resolve, refuse forbidden addresses, connect.</summary>
    /// <param name="privateHosts">Which hosts may resolve to private addresses (all, when private networks are allowed).</param>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(PrivateHosts privateHosts) =>
        async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, cancellationToken);
            var allowed = privateHosts.IsAllowed(host) ? addresses : Array.FindAll(addresses, a => !IsForbidden(a));
            if (allowed.Length == 0)
            {
                throw new SsrfException($"{host} resolves to a private or reserved address; allow it for the feed (alerts feeds add URL --allow-private) or in Alerts:Fetch:AllowedPrivateHosts");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    private static string Shorten(string? s) => s is null ? "" : s.Length <= 80 ? s : s[..80] + "…";
}
