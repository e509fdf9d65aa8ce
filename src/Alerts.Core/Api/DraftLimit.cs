using Alerts.Core.Matching;

namespace Alerts.Core.Api;

/// <summary>
/// A watchlist sent inline with a request (a check, a dry run) is compiled for that one request, on
/// the caller's dime: it may hold at most <see cref="MaxTerms"/> terms. Stored watchlists are larger
/// by design (they compile once); they are bounded by the body size and what a row can store.
/// </summary>
public static class DraftLimit
{
    public const int MaxTerms = 20_000;

    /// <summary>A 413 problem when the draft is larger than <see cref="MaxTerms"/>; null otherwise.</summary>
    public static Microsoft.AspNetCore.Http.IResult? Check(Watchlist draft, string field)
    {
        var terms = draft.Entities.Sum(g => g.Aliases?.Count ?? 0) + draft.Topics.Sum(g => g.Aliases?.Count ?? 0)
            + (draft.Links?.Count ?? 0) + (draft.ThirdParties?.Count ?? 0) + (draft.Exclusions?.Count ?? 0);
        return terms <= MaxTerms
            ? null
            : ApiJson.Problem(413, "Draft too large", $"an inline watchlist may hold at most {MaxTerms} terms (this one has {terms}); store it with PUT /api/watchlists/{{name}} and refer to it by name", field);
    }
}
