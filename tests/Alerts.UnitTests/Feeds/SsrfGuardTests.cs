using System.Net;
using Alerts.Core.Feeds;

namespace Alerts.UnitTests.Feeds;

public sealed class SsrfGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("64:ff9b:1::a00:1")]      // local-use NAT64
    [InlineData("2002:7f00:1::1")]        // 6to4 around 127.0.0.1
    [InlineData("2002:a9fe:a9fe::1")]     // 6to4 around 169.254.169.254
    [InlineData("2001:0:4136:e378::1")]   // Teredo
    [InlineData("100::1")]                // discard-only
    [InlineData("::ffff:0:7f00:1")]       // IPv4-translated 127.0.0.1
    public void IsForbidden_InternalAddress_IsTrue(string address) =>
        Assert.True(SsrfGuard.IsForbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    public void IsForbidden_PublicAddress_IsFalse(string address) =>
        Assert.False(SsrfGuard.IsForbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://example.com/")]
    [InlineData("ftp://example.com/feed.xml")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("http://user:pass@example.com/")]
    [InlineData("https:x")]
    [InlineData("data:text/html,hi")]
    [InlineData("javascript:alert(1)")]
    public void ParseFetchableUrl_NotHttp_Throws(string url) =>
        Assert.Throws<SsrfException>(() => SsrfGuard.ParseFetchableUrl(url));
}
