using System.Net;
using Alerts.Core;
using Alerts.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alerts.UnitTests.Api;

public sealed class PublicRateLimiterTests
{
    private static PublicRateLimiter Limiter(int perMinute, params string[] trusted) =>
        new(Options.Create(new ApiOptions { PublicRequestsPerMinute = perMinute, TrustedProxies = trusted }));

    private static HttpRequest From(string peer, string? forwardedFor = null)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        return context.Request;
    }

    [Fact]
    public void Check_OverTheLimit_429PerAddress()
    {
        using var limiter = Limiter(3);

        var first = Enumerable.Range(0, 3).Select(_ => limiter.Check(From("203.0.113.7"))).ToList();
        var fourth = limiter.Check(From("203.0.113.7"));
        var other = limiter.Check(From("198.51.100.9"));

        Assert.All(first, Assert.Null);
        Assert.NotNull(fourth);
        Assert.Null(other);
    }

    [Fact]
    public void Check_NoTrustedProxy_ForgedForwardedForFromLoopbackCannotEscapeTheLimit()
    {
        using var limiter = Limiter(30);

        // What the finding did: a loopback client sends a new random address in every request.
        var accepted = Enumerable.Range(0, 2000).Count(i => limiter.Check(From("127.0.0.1", $"198.18.{i / 250}.{i % 250}")) is null);

        Assert.Equal(30, accepted);
    }

    [Fact]
    public void ClientOf_TrustedProxy_RightmostUntrustedHopIsTheClient()
    {
        using var limiter = Limiter(30, "127.0.0.1", "::1", "10.0.0.0/8");

        Assert.Equal("192.0.2.55", limiter.ClientOf(From("127.0.0.1", "192.0.2.55")));
        Assert.Equal("192.0.2.55", limiter.ClientOf(From("127.0.0.1", "6.6.6.6, 192.0.2.55"))); // the left entry was written by the client
        Assert.Equal("192.0.2.55", limiter.ClientOf(From("127.0.0.1", "192.0.2.55, 10.1.2.3"))); // an inner proxy is skipped
        Assert.Equal("192.0.2.55", limiter.ClientOf(From("127.0.0.1", "192.0.2.55:51234"))); // App Service writes the port
        Assert.Equal("203.0.113.9", limiter.ClientOf(From("203.0.113.9", "192.0.2.55"))); // an untrusted peer's header is ignored
        Assert.Equal("127.0.0.1", limiter.ClientOf(From("127.0.0.1", "not-an-address")));
    }

    [Fact]
    public void ClientOf_IPv6Hops_ParsedAsIPv6NotSplitOnColons()
    {
        using var limiter = Limiter(30, "127.0.0.1");

        Assert.Equal("2001:db8::1", limiter.ClientOf(From("127.0.0.1", "2001:db8::1")));
        Assert.Equal("2001:db8::1", limiter.ClientOf(From("127.0.0.1", "[2001:db8::1]:443")));
        Assert.Equal("2001:db8::2", limiter.ClientOf(From("127.0.0.1", "2001:db8::2")));
        Assert.Equal("192.0.2.1", limiter.ClientOf(From("::ffff:192.0.2.1")));
    }

    [Fact]
    public void ParseNetworks_BadEntry_NamesIt()
    {
        var error = Assert.Throws<FormatException>(() => PublicRateLimiter.ParseNetworks(["127.0.0.1", "10.0.0.0/33"]));

        Assert.Contains("10.0.0.0/33", error.Message);
    }
}
