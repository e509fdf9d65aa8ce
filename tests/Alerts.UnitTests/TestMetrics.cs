using System.Diagnostics.Metrics;
using Alerts.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.UnitTests;

/// <summary>An <see cref="AlertsMetrics"/> on its own meter factory, as the services build it.</summary>
internal static class TestMetrics
{
    public static AlertsMetrics Create() => new(Factory());

    public static IMeterFactory Factory() => new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
}
