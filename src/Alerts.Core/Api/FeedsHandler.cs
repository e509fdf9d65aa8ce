using Alerts.Core.Feeds;
using Alerts.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Api;

/// <summary><c>/api/feeds</c>: feeds with their health, add, remove, OPML out and in.</summary>
public sealed class FeedsHandler(FeedStore feeds)
{
    public async Task<IResult> ListAsync(CancellationToken cancellationToken) =>
        ApiJson.Ok(new
        {
            items = (await feeds.ListAsync(cancellationToken)).Select(f => new
            {
                url = f.Url,
                title = f.Title,
                healthy = f.ConsecutiveFailures == 0,
                lastAttemptAt = f.LastAttemptAt,
                lastSuccessAt = f.LastSuccessAt,
                lastStatus = f.LastStatus,
                consecutiveFailures = f.ConsecutiveFailures,
                lastError = f.LastError,
                nextPollAt = f.NextPollAt,
                itemCount = f.ItemCount,
            }),
        });

    public async Task<IResult> AddAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJson.ReadBodyAsync(request, cancellationToken);
        if (problem is not null || !ApiJson.TryGetString(body, "url", out var url, out problem))
        {
            return problem!;
        }

        try
        {
            var uri = SsrfGuard.ParseFetchableUrl(url);
            var added = await feeds.AddAsync(uri.AbsoluteUri, cancellationToken);
            return Results.Json(new { url = uri.AbsoluteUri, added }, ApiJson.Options, statusCode: added ? 201 : 200);
        }
        catch (SsrfException ex)
        {
            return ApiJson.Problem(400, "Invalid feed URL", ex.Message, "url");
        }
    }

    public async Task<IResult> RemoveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var url = request.Query["url"].ToString();
        if (url.Length == 0)
        {
            return ApiJson.Problem(400, "Invalid query", "give the feed as ?url=", "url");
        }

        return await feeds.RemoveAsync(url, cancellationToken)
            ? Results.NoContent()
            : ApiJson.Problem(404, "Unknown feed", $"'{url}' is not a watched feed", "url");
    }

    public async Task<IResult> ExportOpmlAsync(CancellationToken cancellationToken) =>
        Results.Content(Opml.Write(await feeds.ListAsync(cancellationToken)), "text/x-opml; charset=utf-8");

    public async Task<IResult> ImportOpmlAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (bytes, tooLarge) = await ApiJson.ReadCappedAsync(request, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        List<string> urls;
        try
        {
            urls = Opml.ReadFeedUrls(new MemoryStream(bytes));
        }
        catch (OpmlException ex)
        {
            return ApiJson.Problem(400, "Invalid OPML", ex.Message);
        }

        var added = 0;
        foreach (var url in urls)
        {
            added += await feeds.AddAsync(url, cancellationToken) ? 1 : 0;
        }

        return ApiJson.Ok(new { feeds = urls.Count, added });
    }
}
