using System.Diagnostics.Metrics;
using Alerts.Core;
using Microsoft.ApplicationInsights;
using Microsoft.Extensions.Hosting;

namespace Alerts.Functions;

/// <summary>
/// Forwards the <c>Alerts</c> meter to Application Insights as custom metrics (pre-aggregated by the SDK's
/// <c>GetMetric</c>). The Application Insights 2.x SDK that the Functions worker package builds on does not
/// listen to <see cref="System.Diagnostics.Metrics"/> by itself; this listener is that bridge.
/// </summary>
public sealed class MetricsToApplicationInsights(TelemetryClient telemetry) : IHostedService, IDisposable
{
    private readonly MeterListener _listener = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == AlertsMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Track(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Track(instrument, value, tags));
        _listener.Start();
        return Task.CompletedTask;
    }

    private void Track(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Only the "outcome" tag is used (alerts.feeds.polled); everything else is untagged.
        foreach (var tag in tags)
        {
            if (tag.Key == "outcome")
            {
                telemetry.GetMetric(instrument.Name, "outcome").TrackValue(value, tag.Value?.ToString());
                return;
            }
        }

        telemetry.GetMetric(instrument.Name).TrackValue(value);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _listener.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _listener.Dispose();
}
