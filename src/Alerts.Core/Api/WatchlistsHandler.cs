using System.Text.Json;
using System.Text.Json.Nodes;
using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Api;

/// <summary>
/// <c>/api/watchlists</c>: list, read (with ETag), write and delete (If-Match required to change an
/// existing one: a stale edit gets 412 and overwrites nothing), every change audited, and a dry run
/// of a draft against the items of the last days.
/// </summary>
public sealed class WatchlistsHandler(WatchlistStore watchlists, AuditStore audit, RecentItemStore recent, TimeProvider time)
{
    public async Task<IResult> ListAsync(CancellationToken cancellationToken)
    {
        var all = await watchlists.GetAllAsync(cancellationToken);
        return ApiJson.Ok(new
        {
            items = all.Select(m => new
            {
                name = m.Watchlist.Name,
                description = m.Watchlist.Description,
                entityGroups = m.Watchlist.Entities.Select(e => e.Name),
                topics = m.Watchlist.Topics.Select(t => t.Name),
                terms = m.TermCount,
            }),
        });
    }

    public async Task<IResult> GetAsync(string name, CancellationToken cancellationToken)
    {
        var (json, etag, _) = await CurrentAsync(name, cancellationToken);
        return json is null ? NotFound(name) : ApiJson.Ok(JsonNode.Parse(json)!, etag!);
    }

    public async Task<IResult> PutAsync(string name, HttpRequest request, CancellationToken cancellationToken)
    {
        if (!WatchlistValidator.IsValidName(name))
        {
            return ApiJson.Problem(400, "Invalid name", "a watchlist name is 1-63 characters of a-z, 0-9 and '-'", "name");
        }

        var (body, problem) = await ApiJson.ReadBodyAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var node = JsonNode.Parse(body.GetRawText())!.AsObject();
        if (node["name"] is null)
        {
            node["name"] = name;
        }
        else if (node["name"]!.GetValueKind() != JsonValueKind.String || node["name"]!.GetValue<string>() != name)
        {
            return ApiJson.Problem(400, "Invalid watchlist", $"'name' must be '{name}', as in the URL", "name");
        }

        Watchlist watchlist;
        try
        {
            watchlist = WatchlistJson.Parse(node.ToJsonString());
            WatchlistMatcher.Compile(watchlist);
        }
        catch (WatchlistException ex)
        {
            return ApiJson.Problem(400, "Invalid watchlist", ex.Message, ex.Field);
        }

        var (before, currentETag, stored) = await CurrentAsync(name, cancellationToken);
        var ifMatch = request.Headers.IfMatch.ToString();
        if (before is not null && ifMatch.Length == 0)
        {
            return ApiJson.Problem(428, "If-Match required", $"send the ETag from GET /api/watchlists/{name} in If-Match to change it");
        }

        if (ifMatch.Length > 0 && ifMatch != currentETag)
        {
            return Stale(name);
        }

        // Written with the ETag just checked: a change since then makes storage refuse (412), never overwrite.
        string? etag;
        try
        {
            etag = await watchlists.SaveIfAsync(watchlist, stored?.ETag, cancellationToken);
        }
        catch (StoredTextTooLargeException ex)
        {
            return ApiJson.Problem(413, "Watchlist too large", $"this watchlist cannot be stored: {ex.Message}");
        }

        if (etag is null)
        {
            return Stale(name); // changed between our read and our write
        }

        var after = WatchlistJson.Write(watchlist);
        await audit.RecordAsync($"watchlist:{name}", ApiJson.Who(request), before is null ? "create" : "update", before, after, time.GetUtcNow(), cancellationToken);
        return ApiJson.Ok(JsonNode.Parse(after)!, etag, before is null ? 201 : 200);
    }

    public async Task<IResult> DeleteAsync(string name, HttpRequest request, CancellationToken cancellationToken)
    {
        var stored = WatchlistValidator.IsValidName(name) ? await watchlists.GetStoredAsync(name, cancellationToken) : null;
        if (stored is null)
        {
            return name == WatchlistJson.DefaultName
                ? ApiJson.Problem(409, "Built in", "the built-in default watchlist cannot be deleted; PUT a changed version instead")
                : NotFound(name);
        }

        var ifMatch = request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0)
        {
            return ApiJson.Problem(428, "If-Match required", $"send the ETag from GET /api/watchlists/{name} in If-Match to delete it");
        }

        if (ifMatch != stored.ETag.ToString() || !await watchlists.DeleteIfAsync(name, stored.ETag, cancellationToken))
        {
            return Stale(name);
        }

        await audit.RecordAsync($"watchlist:{name}", ApiJson.Who(request), "delete", stored.Json, null, time.GetUtcNow(), cancellationToken);
        return Results.NoContent();
    }

    /// <summary>What a draft would have flagged, and stopped flagging, among the items of the last <c>days</c> days.</summary>
    public async Task<IResult> TestAsync(string name, HttpRequest request, CancellationToken cancellationToken)
    {
        var days = 7;
        if (request.Query.TryGetValue("days", out var d) && (!int.TryParse(d, out days) || days is < 1 or > 30))
        {
            return ApiJson.Problem(400, "Invalid query", "'days' must be a whole number from 1 to 30", "days");
        }

        var (body, problem) = await ApiJson.ReadBodyAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        WatchlistMatcher draft;
        try
        {
            var node = JsonNode.Parse(body.GetRawText())!.AsObject();
            node["name"] ??= name;
            var parsed = WatchlistJson.Parse(node.ToJsonString());
            if (DraftLimit.Check(parsed, "watchlist") is { } tooLarge)
            {
                return tooLarge;
            }

            draft = WatchlistMatcher.Compile(parsed);
        }
        catch (WatchlistException ex)
        {
            return ApiJson.Problem(400, "Invalid watchlist", ex.Message, ex.Field);
        }

        var current = await watchlists.GetAsync(name, cancellationToken);
        var items = await recent.ListAsync(days, 20_000, time.GetUtcNow(), cancellationToken);
        var wouldFlag = new List<object>();
        var wouldStop = new List<object>();
        var both = 0;
        foreach (var item in items)
        {
            var input = new MatchInput(item.Title, item.Summary, item.Content);
            var withDraft = draft.Match(input);
            var now = current?.Match(input).Matched ?? false;
            if (withDraft.Matched && now)
            {
                both++;
            }
            else if (withDraft.Matched)
            {
                wouldFlag.Add(new { id = item.RowKey, title = item.Title, link = item.Link, score = withDraft.Score, reason = withDraft.Reason });
            }
            else if (now)
            {
                wouldStop.Add(new { id = item.RowKey, title = item.Title, link = item.Link, reason = withDraft.Reason });
            }
        }

        return ApiJson.Ok(new
        {
            watchlist = name,
            days,
            itemsChecked = items.Count,
            flaggedByBoth = both,
            wouldFlagCount = wouldFlag.Count,
            wouldStopFlaggingCount = wouldStop.Count,
            wouldFlag = wouldFlag.Take(100),
            wouldStopFlagging = wouldStop.Take(100),
        });
    }

    /// <summary>The watchlist as it is now: its JSON and ETag, and the stored row (null for the built-in default or none).</summary>
    private async Task<(string? Json, string? ETag, StoredWatchlist? Stored)> CurrentAsync(string name, CancellationToken cancellationToken)
    {
        if (!WatchlistValidator.IsValidName(name))
        {
            return (null, null, null);
        }

        var stored = await watchlists.GetStoredAsync(name, cancellationToken);
        if (stored is not null)
        {
            return (stored.Json, stored.ETag.ToString(), stored);
        }

        return name == WatchlistJson.DefaultName ? (WatchlistJson.Write(WatchlistStore.Default.Watchlist), WatchlistStore.BuiltInETag, null) : (null, null, null);
    }

    private static IResult NotFound(string name) => ApiJson.Problem(404, "Unknown watchlist", $"no watchlist named '{name}'", "name");

    private static IResult Stale(string name) =>
        ApiJson.Problem(412, "Changed meanwhile", $"watchlist '{name}' changed since you read it; GET it again, reapply your edit, and send the new ETag");
}
