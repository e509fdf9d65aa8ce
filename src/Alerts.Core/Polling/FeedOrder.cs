using Alerts.Core.Storage;

namespace Alerts.Core.Polling;

/// <summary>The order feeds are polled (or enqueued) in.</summary>
public static class FeedOrder
{
    /// <summary>
    /// Round-robin over the feeds' hosts. Listed in URL order, a publisher's feeds sit together, and the
    /// per-host limit then lets two of them through while every other slot of the cycle waits behind
    /// them (10,000 feeds on 200 hosts took 379 s in URL order on this machine, with the CPUs mostly idle).
    /// </summary>
    public static List<FeedEntity> InterleaveByHost(IEnumerable<FeedEntity> feeds)
    {
        var byHost = feeds
            .GroupBy(f => Uri.TryCreate(f.Url, UriKind.Absolute, out var uri) ? uri.IdnHost : f.Url, StringComparer.OrdinalIgnoreCase)
            .Select(g => new Queue<FeedEntity>(g))
            .ToList();
        var ordered = new List<FeedEntity>(byHost.Sum(q => q.Count));
        while (byHost.Count > 0)
        {
            foreach (var host in byHost)
            {
                ordered.Add(host.Dequeue());
            }

            byHost.RemoveAll(q => q.Count == 0);
        }

        return ordered;
    }
}
