using Alerts.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Alerts.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/Alerts.Benchmarks -- probe             (where a new item's allocations go)
// dotnet run -c Release --project tests/Alerts.Benchmarks -- scale [options]   (the multi-process scale run; see ScaleHarness)
// dotnet run -c Release --project tests/Alerts.Benchmarks -- matches           (GET /api/matches first page with 10 and 200,000 matches)
switch (args.FirstOrDefault())
{
    case "scale":
        await ScaleHarness.RunAsync(args);
        break;
    case "matches":
        await MatchesLatency.RunAsync(args);
        break;
    case "probe":
        await AllocationProbe.RunAsync();
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(MatcherBenchmarks).Assembly).Run(args);
        break;
}
