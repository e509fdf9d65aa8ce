using System.Diagnostics.Metrics;

namespace Alerts.Core;

/// <summary>How one feed's poll ended, as the metrics count it.</summary>
public enum FeedOutcome
{
    Ok,
    NotModified,
    Failed,
}

/// <summary>
/// The numbers to scale by, on the <c>Alerts</c> meter (exported by Application Insights in the Functions
/// app, readable with <c>dotnet-counters monitor --counters Alerts</c> locally). The 304 share is
/// <c>alerts.feeds.polled{outcome=not_modified}</c> over all of <c>alerts.feeds.polled</c>.
/// </summary>
public sealed class AlertsMetrics
{
    public const string MeterName = "Alerts";

    private static long _newItemsTotal;

    private readonly Counter<long> _feedsPolled;
    private readonly Histogram<double> _fetchDuration;
    private readonly Counter<long> _items;
    private readonly Counter<long> _newItems;
    private readonly Counter<long> _newMatches;
    private readonly Gauge<long> _queueLength;
    private readonly Gauge<double> _queueAge;
    private readonly Gauge<long> _poison;
    private readonly Counter<long> _digestsSent;
    private readonly Counter<long> _digestsFailed;

    public AlertsMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _feedsPolled = meter.CreateCounter<long>("alerts.feeds.polled", "{feed}", "Feeds polled, by outcome (ok, not_modified, failed)");
        _fetchDuration = meter.CreateHistogram<double>("alerts.fetch.duration", "s", "Time to fetch one feed, redirects and body included");
        _items = meter.CreateCounter<long>("alerts.items", "{item}", "Items read from feeds answered 200");
        _newItems = meter.CreateCounter<long>("alerts.items.new", "{item}", "Items not seen before: matched and stored");
        _newMatches = meter.CreateCounter<long>("alerts.matches.new", "{match}", "Stories newly stored as matches");
        _queueLength = meter.CreateGauge<long>("alerts.queue.length", "{message}", "Messages waiting on poll-feeds, when last looked at");
        _queueAge = meter.CreateGauge<double>("alerts.queue.age", "s", "Age of the oldest message waiting on poll-feeds");
        _poison = meter.CreateGauge<long>("alerts.queue.poison", "{message}", "Messages on poll-feeds-poison");
        _digestsSent = meter.CreateCounter<long>("alerts.digests.sent", "{digest}", "Digests the email provider accepted");
        _digestsFailed = meter.CreateCounter<long>("alerts.digests.failed", "{digest}", "Digests refused or not sent");
        meter.CreateObservableCounter(
            "alerts.storage.requests",
            () => new[]
            {
                new Measurement<long>(Storage.StorageRequests.Tables, new KeyValuePair<string, object?>("service", "table")),
                new Measurement<long>(Storage.StorageRequests.Queues, new KeyValuePair<string, object?>("service", "queue")),
            },
            "{request}",
            "Storage requests (billed transactions) made by this process");
    }

    public void FeedPolled(FeedOutcome outcome, int items, int newItems, int newMatches)
    {
        _feedsPolled.Add(1, new KeyValuePair<string, object?>("outcome", outcome switch
        {
            FeedOutcome.Ok => "ok",
            FeedOutcome.NotModified => "not_modified",
            _ => "failed",
        }));
        if (items > 0)
        {
            _items.Add(items);
        }

        if (newItems > 0)
        {
            _newItems.Add(newItems);
            Interlocked.Add(ref _newItemsTotal, newItems);
        }

        if (newMatches > 0)
        {
            _newMatches.Add(newMatches);
        }
    }

    /// <summary>New items this process has processed (for <c>Alerts:Diagnostics:ReportResources</c>).</summary>
    public static long NewItemsTotal => Interlocked.Read(ref _newItemsTotal);

    public void FetchDuration(TimeSpan elapsed) => _fetchDuration.Record(elapsed.TotalSeconds);

    public void Queue(int length, TimeSpan? oldestAge, int poison)
    {
        _queueLength.Record(length);
        _queueAge.Record(oldestAge?.TotalSeconds ?? 0);
        _poison.Record(poison);
    }

    public void DigestSent() => _digestsSent.Add(1);

    public void DigestFailed() => _digestsFailed.Add(1);
}
