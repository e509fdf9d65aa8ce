using Alerts.Core.Digests;

namespace Alerts.Core.Polling;

/// <summary>
/// What the poll timer does, wherever it runs (Functions, <c>alerts serve</c>, <c>alerts poll</c>):
/// poll every due feed, then send the digests that are due — so a subscriber with the immediate cadence
/// hears of a new match within the same cycle.
/// </summary>
public sealed class PollCycle(PollService poll, DigestService digests)
{
    public async Task<(PollSummary Poll, DigestSummary Digests)> RunAsync(IProgress<FeedPollResult>? progress, CancellationToken cancellationToken)
    {
        var polled = await poll.RunOnceAsync(progress, cancellationToken);
        var sent = await digests.SendDueAsync(force: false, onlyTo: null, cancellationToken);
        return (polled, sent);
    }
}
