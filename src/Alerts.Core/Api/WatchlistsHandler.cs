using System.Text.Json;
using System.Text.Json.Nodes;
using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Alerts.Core.Watchlists;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Api;

/// <summary>Answer of <c>GET /api/watchlists</c>.</summary>
public sealed record WatchlistList(IReadOnlyList<WatchlistSummary> Items);

/// <summary>
/// <c>/api/watchlists</c>: an adapter over <see cref="WatchlistService"/> — list, read (with ETag),
/// write and delete (If-Match: 428 without, 412 when stale), and a dry run of a draft.
/// </summary>
public sealed class WatchlistsHandler(WatchlistService watchlists, Microsoft.Extensions.Options.IOptions<Pages.AdminOptions> admin)
{
    public async Task<IResult> ListAsync(CancellationToken cancellationToken) =>
        ApiJson.Ok(new WatchlistList(await watchlists.ListAsync(cancellationToken)));

    public async Task<IResult> GetAsync(string name, CancellationToken cancellationToken)
    {
        var current = await watchlists.GetAsync(name, cancellationToken);
        return current is null ? NotFound(name) : ApiJson.Ok(JsonNode.Parse(current.Json)!, current.ETag);
    }

    public async Task<IResult> PutAsync(string name, HttpRequest request, CancellationToken cancellationToken)
    {
        if (!WatchlistValidator.IsValidName(name))
        {
            return ApiJson.Problem(400, "Invalid name", "a watchlist name is 1-63 characters of a-z, 0-9 and '-'", "name");
        }

        var (draft, problem) = await ReadDraftAsync(name, request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var write = await watchlists.PutAsync(name, draft!, request.Headers.IfMatch.ToString(), ApiJson.Who(request, admin.Value.AppServiceAuthentication), cancellationToken);
            return write.Status switch
            {
                WatchlistWriteStatus.Created or WatchlistWriteStatus.Updated => ApiJson.Ok(JsonNode.Parse(write.Json!)!, write.ETag!, write.Status == WatchlistWriteStatus.Created ? 201 : 200),
                WatchlistWriteStatus.IfMatchRequired => ApiJson.Problem(428, "If-Match required", $"send the ETag from GET /api/watchlists/{name} in If-Match to change it"),
                _ => Stale(name),
            };
        }
        catch (WatchlistException ex)
        {
            return ApiJson.Problem(400, "Invalid watchlist", ex.Message, ex.Field);
        }
        catch (StoredTextTooLargeException ex)
        {
            return ApiJson.Problem(413, "Watchlist too large", $"this watchlist cannot be stored: {ex.Message}");
        }
    }

    public async Task<IResult> DeleteAsync(string name, HttpRequest request, CancellationToken cancellationToken)
    {
        var write = await watchlists.DeleteAsync(name, request.Headers.IfMatch.ToString(), ApiJson.Who(request, admin.Value.AppServiceAuthentication), cancellationToken);
        return write.Status switch
        {
            WatchlistWriteStatus.Deleted => Results.NoContent(),
            WatchlistWriteStatus.BuiltIn => ApiJson.Problem(409, "Built in", "the built-in default watchlist cannot be deleted; PUT a changed version instead"),
            WatchlistWriteStatus.NotFound => NotFound(name),
            WatchlistWriteStatus.IfMatchRequired => ApiJson.Problem(428, "If-Match required", $"send the ETag from GET /api/watchlists/{name} in If-Match to delete it"),
            _ => Stale(name),
        };
    }

    /// <summary>What a draft would have flagged, and stopped flagging, among the items of the last <c>days</c> days.</summary>
    public async Task<IResult> TestAsync(string name, HttpRequest request, CancellationToken cancellationToken)
    {
        var days = 7;
        if (request.Query.TryGetValue("days", out var d) && (!int.TryParse(d, out days) || days is < 1 or > WatchlistService.MaxDryRunDays))
        {
            return ApiJson.Problem(400, "Invalid query", $"'days' must be a whole number from 1 to {WatchlistService.MaxDryRunDays}", "days");
        }

        var (draft, problem) = await ReadDraftAsync(name, request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (DraftLimit.Check(draft!, "watchlist") is { } tooLarge)
        {
            return tooLarge;
        }

        try
        {
            return ApiJson.Ok(await watchlists.TestAsync(name, draft!, days, cancellationToken));
        }
        catch (WatchlistException ex)
        {
            return ApiJson.Problem(400, "Invalid watchlist", ex.Message, ex.Field);
        }
    }

    /// <summary>A watchlist from the body; its name defaults to the one in the URL.</summary>
    private static async Task<(Watchlist? Draft, IResult? Problem)> ReadDraftAsync(string name, HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJson.ReadBodyAsync(request, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        var node = JsonNode.Parse(body.GetRawText())!.AsObject();
        if (node["name"] is null)
        {
            node["name"] = name;
        }
        else if (node["name"]!.GetValueKind() != JsonValueKind.String)
        {
            return (null, ApiJson.Problem(400, "Invalid watchlist", "'name' must be a string", "name"));
        }

        try
        {
            return (WatchlistJson.Parse(node.ToJsonString()), null);
        }
        catch (WatchlistException ex)
        {
            return (null, ApiJson.Problem(400, "Invalid watchlist", ex.Message, ex.Field));
        }
    }

    private static IResult NotFound(string name) => ApiJson.Problem(404, "Unknown watchlist", $"no watchlist named '{name}'", "name");

    private static IResult Stale(string name) =>
        ApiJson.Problem(412, "Changed meanwhile", $"watchlist '{name}' changed since you read it; GET it again, reapply your edit, and send the new ETag");
}
