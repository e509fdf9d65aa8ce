using System.Diagnostics;
using System.Text;

namespace Alerts.IntegrationTests;

/// <summary>The built <c>alerts</c> (copied beside the tests) running as its own process, with the settings as environment variables.</summary>
public sealed class AlertsProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AlertsProcess(Process process, string readyLine)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            Append(e.Data);
            if (e.Data?.Contains(readyLine, StringComparison.Ordinal) == true)
            {
                _started.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Exited += (_, _) => _started.TrySetException(new InvalidOperationException($"alerts exited with {process.ExitCode} before it was ready: {Output}"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    /// <summary>The built <c>alerts</c> (copied beside the tests) with the settings as environment variables, output redirected.</summary>
    public static ProcessStartInfo StartInfo(Dictionary<string, string?> settings, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "alerts.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }

    /// <summary>Starts <c>alerts args…</c> and waits until it prints <paramref name="readyLine"/>.</summary>
    public static async Task<AlertsProcess> StartAsync(Dictionary<string, string?> settings, string readyLine, params string[] args)
    {
        var process = new AlertsProcess(Process.Start(StartInfo(settings, args))!, readyLine);
        await process._started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return process;
    }

    /// <summary>Kills the process at once, as a crashed or evicted instance dies: nothing is flushed, no message given back.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_out)
        {
            _out.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }
}
