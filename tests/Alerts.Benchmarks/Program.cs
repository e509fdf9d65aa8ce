using Alerts.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Alerts.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/Alerts.Benchmarks -- probe             (where a new item's allocations go)
// dotnet run -c Release --project tests/Alerts.Benchmarks -- scale [options]   (the multi-process scale run; see ScaleHarness)
switch (args.FirstOrDefault())
{
    case "probe":
        await AllocationProbe.RunAsync();
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(MatcherBenchmarks).Assembly).Run(args);
        break;
}
