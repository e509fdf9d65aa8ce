using Alerts.Cli;

namespace Alerts.UnitTests.Cli;

/// <summary>Runs <c>alerts</c> in this process with its output captured (redirected: plain lines, no live display).</summary>
internal static class CliRun
{
    /// <summary>Settings for commands that build services without reaching storage.</summary>
    public static Dictionary<string, string?> LocalStorage { get; } = new() { ["Alerts:Storage:ConnectionString"] = "UseDevelopmentStorage=true" };

    public static async Task<(int Code, string Out, string Err)> RunAsync(IReadOnlyList<string> args, Dictionary<string, string?>? overrides = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AlertsCli.RunAsync([.. args], stdout, stderr, TestContext.Current.CancellationToken, overrides);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static string[] Words(string commandLine) => commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
