using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Api;

/// <summary>
/// Limits the anonymous routes (subscribe, confirm, unsubscribe, health) per client address, the same
/// in Functions and in <c>alerts serve</c>. The client is the connection's peer; only when that peer is
/// a local proxy (the Functions host, a reverse proxy on this machine) does X-Forwarded-For count.
/// </summary>
public sealed class PublicRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public PublicRateLimiter(IOptions<ApiOptions> options)
    {
        var perMinute = options.Value.PublicRequestsPerMinute;
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

    public static string ClientOf(HttpRequest request)
    {
        var peer = request.HttpContext.Connection.RemoteIpAddress;
        var forwarded = request.Headers["X-Forwarded-For"].ToString().Split(',')[0].Trim();
        if ((peer is null || IPAddress.IsLoopback(peer)) && IPAddress.TryParse(forwarded.Split(':')[0], out var client))
        {
            return client.ToString();
        }

        return peer?.ToString() ?? "unknown";
    }

    public void Dispose() => _limiter.Dispose();
}
