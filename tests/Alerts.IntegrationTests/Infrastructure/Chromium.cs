using System.Diagnostics;

namespace Alerts.IntegrationTests;

/// <summary>
/// Debian's Chromium for the browser tests: Playwright cannot download its own browser builds here, so
/// the tests drive <c>/usr/bin/chromium</c>, installing it with apt-get when it is missing and the tests
/// run as root (CI, a fresh machine); otherwise they stop with one line saying how.
/// </summary>
internal static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Flags for a headless run in a container: no sandbox (root), no GPU, no calls home.</summary>
    public static readonly string[] Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

    public static async Task EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(Path))
            {
                return;
            }

            if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
            {
                throw new InvalidOperationException($"Chromium is missing at {Path}: install it with `sudo apt-get install -y chromium` (Debian), then run the tests again");
            }

            if (await AptAsync("install -y chromium", cancellationToken) != 0)
            {
                // A fresh machine may have no package lists yet.
                await AptAsync("update", cancellationToken);
                if (await AptAsync("install -y chromium", cancellationToken) != 0 || !File.Exists(Path))
                {
                    throw new InvalidOperationException($"`apt-get install -y chromium` failed; install Chromium at {Path} and run the tests again");
                }
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<int> AptAsync(string arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("apt-get", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("apt-get could not be started");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await Task.WhenAll(output, error);
        return process.ExitCode;
    }
}
