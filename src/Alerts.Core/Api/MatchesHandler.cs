using System.Globalization;
using Alerts.Core.Matches;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Api;

/// <summary><c>GET /api/matches?since=&amp;watchlist=&amp;max=&amp;continuation=</c>: an adapter over <see cref="MatchService"/>.</summary>
public sealed class MatchesHandler(MatchService matches)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        DateTimeOffset? since = null;
        if (request.Query.TryGetValue("since", out var sinceText) && !string.IsNullOrEmpty(sinceText))
        {
            since = MatchService.ParseSince(sinceText!);
            if (since is null)
            {
                return ApiJson.Problem(400, "Invalid query", "'since' must be an ISO 8601 date or time", "since");
            }
        }

        var max = 50;
        if (request.Query.TryGetValue("max", out var maxText) && !int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out max))
        {
            return ApiJson.Problem(400, "Invalid query", $"'max' must be a whole number from 1 to {MatchService.MaxPage}", "max");
        }

        string? watchlist = request.Query.TryGetValue("watchlist", out var w) && !string.IsNullOrEmpty(w) ? w.ToString() : null;
        try
        {
            return ApiJson.Ok(await matches.ListAsync(new MatchQuery(watchlist, since, max, request.Query["continuation"]), cancellationToken));
        }
        catch (MatchQueryException ex)
        {
            return ApiJson.Problem(400, "Invalid query", $"'{ex.Field}' {ex.Message}", ex.Field);
        }
    }
}
