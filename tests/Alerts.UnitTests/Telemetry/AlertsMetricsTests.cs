using Alerts.Core;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Alerts.UnitTests.Telemetry;

/// <summary>The Alerts meter: what a poll, a fetch, the queue and a digest record.</summary>
public sealed class AlertsMetricsTests
{
    [Fact]
    public void FeedPolled_OutcomesAndCounts_RecordedWithTheOutcomeTag()
    {
        var factory = TestMetrics.Factory();
        var metrics = new AlertsMetrics(factory);
        using var polled = new MetricCollector<long>(factory, AlertsMetrics.MeterName, "alerts.feeds.polled");
        using var items = new MetricCollector<long>(factory, AlertsMetrics.MeterName, "alerts.items");
        using var fresh = new MetricCollector<long>(factory, AlertsMetrics.MeterName, "alerts.items.new");
        using var matches = new MetricCollector<long>(factory, AlertsMetrics.MeterName, "alerts.matches.new");

        metrics.FeedPolled(FeedOutcome.Ok, 20, 5, 1);
        metrics.FeedPolled(FeedOutcome.NotModified, 0, 0, 0);
        metrics.FeedPolled(FeedOutcome.NotModified, 0, 0, 0);
        metrics.FeedPolled(FeedOutcome.Failed, 0, 0, 0);

        var outcomes = polled.GetMeasurementSnapshot().GroupBy(m => (string?)m.Tags["outcome"]).ToDictionary(g => g.Key!, g => g.Sum(m => m.Value));
        Assert.Equal(new Dictionary<string, long> { ["ok"] = 1, ["not_modified"] = 2, ["failed"] = 1 }, outcomes);
        Assert.Equal(20, items.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(5, fresh.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, matches.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public void FetchQueueAndDigests_Recorded()
    {
        var factory = TestMetrics.Factory();
        var metrics = new AlertsMetrics(factory);
        using var fetch = new MetricCollector<double>(factory, AlertsMetrics.MeterName, "alerts.fetch.duration");
        using var length = new MetricCollector<long>(factory, AlertsMetrics.MeterName, "alerts.queue.length");
        using var age = new MetricCollector<double>(factory, AlertsMetrics.MeterName, "alerts.queue.age");
        using var sent = new MetricCollector<long>(factory, AlertsMetrics.MeterName, "alerts.digests.sent");
        using var failed = new MetricCollector<long>(factory, AlertsMetrics.MeterName, "alerts.digests.failed");

        metrics.FetchDuration(TimeSpan.FromMilliseconds(250));
        metrics.Queue(1200, TimeSpan.FromSeconds(42), 3);
        metrics.DigestSent();
        metrics.DigestSent();
        metrics.DigestFailed();

        Assert.Equal(0.25, fetch.LastMeasurement!.Value, 3);
        Assert.Equal(1200, length.LastMeasurement!.Value);
        Assert.Equal(42, age.LastMeasurement!.Value);
        Assert.Equal(2, sent.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, failed.GetMeasurementSnapshot().Sum(m => m.Value));
    }
}
