using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Feeds;

public enum FetchStatus
{
    Ok,
    NotModified,
    Failed,
}

/// <summary>The outcome of one fetch; <see cref="Error"/> is one line for people.</summary>
public sealed record FetchResult(
    FetchStatus Status,
    int? HttpStatus,
    byte[]? Body = null,
    string? ContentType = null,
    string? ETag = null,
    string? LastModified = null,
    TimeSpan? RetryAfter = null,
    string? Error = null)
{
    public static FetchResult Fail(string error, int? httpStatus = null, TimeSpan? retryAfter = null) =>
        new(FetchStatus.Failed, httpStatus, Error: error, RetryAfter: retryAfter);
}

/// <summary>
/// Fetches feeds and pages politely and safely: conditional GET, decompression, a body cap counted
/// after decompression, a total timeout, and the SSRF guard on every connection. Redirects are
/// followed here, not by the handler, so each target passes the same URL check as the first
/// (only http and https; no file:, data:, gopher: or malformed locations).
/// </summary>
public sealed class FeedFetcher(IHttpClientFactory httpClientFactory, IOptions<FetchOptions> options, TimeProvider time, ILogger<FeedFetcher> logger)
{
    public const string HttpClientName = "feeds";
    public const int MaxRedirects = 5;

    /// <summary>
    /// One more try, a second later, for what is usually a blip: a 5xx or 408 without Retry-After, or a
    /// connection that failed (never one the SSRF guard refused). A server that asks to wait (429, or
    /// Retry-After) is not retried in the cycle: the poll backs off that feed instead.
    /// </summary>
    public static HttpRetryStrategyOptions RetryOptions() => new()
    {
        MaxRetryAttempts = 1,
        Delay = TimeSpan.FromSeconds(1),
        UseJitter = true,
        ShouldRetryAfterHeader = false,
        ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
        {
            { Result: { } response } => (int)response.StatusCode is 408 or (>= 500 and not 501) && response.Headers.RetryAfter is null,
            { Exception: HttpRequestException ex } => FindInner<SsrfException>(ex) is null,
            _ => false,
        }),
    };

    /// <param name="etag">The ETag from the previous successful fetch, sent as If-None-Match.</param>
    /// <param name="lastModified">The Last-Modified from the previous fetch, sent as If-Modified-Since.</param>
    public async Task<FetchResult> FetchAsync(string url, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        Uri uri;
        try
        {
            uri = SsrfGuard.ParseFetchableUrl(url);
        }
        catch (SsrfException ex)
        {
            return FetchResult.Fail(ex.Message);
        }

        var settings = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        try
        {
            var client = httpClientFactory.CreateClient(HttpClientName);
            for (var redirects = 0; ; redirects++)
            {
                using var request = NewRequest(uri, etag, lastModified);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    if (redirects == MaxRedirects)
                    {
                        return FetchResult.Fail($"more than {MaxRedirects} redirects", status);
                    }

                    var next = RedirectTarget(uri, response);
                    if (next.Error is not null)
                    {
                        return FetchResult.Fail(next.Error, status);
                    }

                    uri = next.Uri!;
                    continue;
                }

                return await ReadAsync(response, etag, lastModified, settings.MaxBytes, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return FetchResult.Fail($"timed out after {settings.TimeoutSeconds} s");
        }
        catch (HttpRequestException ex)
        {
            var ssrf = FindInner<SsrfException>(ex);
            var message = ssrf?.Message ?? OneLine(ex);
            logger.LogDebug(ex, "Fetch of {FeedUrl} failed", url);
            return FetchResult.Fail(message, (int?)ex.StatusCode);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or System.Security.Authentication.AuthenticationException or InvalidOperationException)
        {
            return FetchResult.Fail(OneLine(ex));
        }
    }

    private static HttpRequestMessage NewRequest(Uri uri, string? etag, string? lastModified)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd("application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5");
        if (!string.IsNullOrEmpty(etag))
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }

        if (!string.IsNullOrEmpty(lastModified))
        {
            request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
        }

        return request;
    }

    /// <summary>Where a redirect points, checked like a URL a user gave; or why it is not followed.</summary>
    private static (Uri? Uri, string? Error) RedirectTarget(Uri from, HttpResponseMessage response)
    {
        // The raw header: the typed Location property is null for values it cannot parse.
        var location = response.Headers.TryGetValues("Location", out var values) ? values.FirstOrDefault()?.Trim() : null;
        if (string.IsNullOrEmpty(location))
        {
            return (null, $"HTTP {(int)response.StatusCode} redirect without a Location");
        }

        if (!Uri.TryCreate(from, location, out var target))
        {
            return (null, $"redirect to an invalid URL '{Shorten(location)}'");
        }

        try
        {
            return (SsrfGuard.ParseFetchableUrl(target.OriginalString), null);
        }
        catch (SsrfException ex)
        {
            return (null, $"redirect refused: {ex.Message}");
        }
    }

    private async Task<FetchResult> ReadAsync(HttpResponseMessage response, string? etag, string? lastModified, long maxBytes, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return new FetchResult(FetchStatus.NotModified, status, ETag: etag, LastModified: lastModified);
        }

        if (!response.IsSuccessStatusCode)
        {
            return FetchResult.Fail($"HTTP {status} {response.ReasonPhrase}".TrimEnd(), status, RetryAfter.Of(response.Headers.RetryAfter, time.GetUtcNow()));
        }

        if (response.Content.Headers.ContentLength > maxBytes)
        {
            return FetchResult.Fail($"body of {response.Content.Headers.ContentLength} bytes exceeds the limit of {maxBytes}", status);
        }

        var body = await ReadCappedAsync(response.Content, maxBytes, cancellationToken);
        if (body is null)
        {
            return FetchResult.Fail($"body exceeds the limit of {maxBytes} bytes (after decompression)", status);
        }

        return new FetchResult(
            FetchStatus.Ok,
            status,
            body,
            response.Content.Headers.ContentType?.ToString(),
            response.Headers.ETag?.ToString(),
            response.Content.Headers.LastModified?.ToString("R"));
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";

    /// <summary>Reads at most <paramref name="maxBytes"/>; returns null when the body is larger.</summary>
    private static async Task<byte[]?> ReadCappedAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static T? FindInner<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T match)
            {
                return match;
            }
        }

        return null;
    }

    internal static string OneLine(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null && inner.Message.Contains("see inner exception", StringComparison.OrdinalIgnoreCase))
        {
            inner = inner.InnerException;
        }

        var text = inner.Message.ReplaceLineEndings(" ").Trim();
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    /// <summary>The handler every outbound fetch uses: decompression, SSRF guard on connect; redirects are <see cref="FetchAsync"/>'s.</summary>
    public static SocketsHttpHandler CreateHandler(FetchOptions settings, PrivateHosts privateHosts) => new()
    {
        AutomaticDecompression = DecompressionMethods.All,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(settings.ConnectTimeoutSeconds),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = settings.PerHostConcurrency,
        ConnectCallback = SsrfGuard.ConnectCallback(privateHosts),
    };
}
