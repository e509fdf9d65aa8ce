using Alerts.Core.Feeds;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Api;

/// <summary>Body of <c>POST /api/feeds</c>.</summary>
public sealed record FeedAddRequest(string? Url, bool AllowPrivate = false);

/// <summary>Answer of <c>GET /api/feeds</c>.</summary>
public sealed record FeedList(IReadOnlyList<FeedView> Items);

/// <summary>Answer of <c>POST /api/feeds</c>.</summary>
public sealed record FeedAdded(string Url, bool Added);

/// <summary><c>/api/feeds</c>: an adapter over <see cref="FeedService"/> — feeds with their health, add, remove, OPML out and in.</summary>
public sealed class FeedsHandler(FeedService feeds)
{
    public async Task<IResult> ListAsync(CancellationToken cancellationToken) =>
        ApiJson.Ok(new FeedList(await feeds.ListAsync(cancellationToken)));

    public async Task<IResult> AddAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJson.ReadAsync<FeedAddRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var (url, added) = await feeds.AddAsync(body!.Url, body.AllowPrivate, cancellationToken);
            return Results.Json(new FeedAdded(url, added), ApiJson.Options, statusCode: added ? 201 : 200);
        }
        catch (FeedUrlException ex)
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
        Results.Content(await feeds.ExportOpmlAsync(cancellationToken), "text/x-opml; charset=utf-8");

    public async Task<IResult> ImportOpmlAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (bytes, tooLarge) = await ApiJson.ReadCappedAsync(request, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        try
        {
            return ApiJson.Ok(await feeds.ImportOpmlAsync(new MemoryStream(bytes), cancellationToken));
        }
        catch (OpmlException ex)
        {
            return ApiJson.Problem(400, "Invalid OPML", ex.Message);
        }
    }
}
