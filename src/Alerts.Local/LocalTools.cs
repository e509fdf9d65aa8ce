using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Alerts.Local;

/// <summary>
/// The npm tools the project pins in its lockfile (Azurite, Prism): found in the repository,
/// installed with <c>npm ci</c> on first use, started as child processes on loopback.
/// </summary>
public static class LocalTools
{
    /// <summary>The repository root: the folder holding package-lock.json and Alerts.sln.</summary>
    public static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "package-lock.json")) && File.Exists(Path.Combine(dir.FullName, "Alerts.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("cannot find the Alerts repository (package-lock.json beside Alerts.sln) above the current folder; run from inside the repository or start Azurite yourself");
    }

    /// <summary>Path of an installed package's script, running <c>npm ci</c> once if node_modules is missing.</summary>
    public static async Task<string> EnsureScriptAsync(string relativeScript, CancellationToken cancellationToken)
    {
        var root = FindRepositoryRoot();
        var script = Path.Combine(root, "node_modules", relativeScript);
        if (File.Exists(script))
        {
            return script;
        }

        // Several test processes may get here at once: one installs, the others wait for it.
        Directory.CreateDirectory(Path.Combine(root, ".alerts"));
        var lockPath = Path.Combine(root, ".alerts", "npm-install.lock");
        await using var gate = await AcquireAsync(lockPath, cancellationToken);
        if (!File.Exists(script))
        {
            var (code, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], root, TimeSpan.FromMinutes(8), cancellationToken);
            if (code != 0 || !File.Exists(script))
            {
                throw new InvalidOperationException($"npm ci failed (exit {code}): {LastLine(output)}");
            }
        }

        return script;
    }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<bool> IsListeningAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(host, port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Starts <c>node script args</c> and waits until it listens on <paramref name="port"/>.</summary>
    public static async Task<NodeProcess> StartNodeAsync(string script, IEnumerable<string> arguments, int port, TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
        var node = new NodeProcess(process);
        var waited = Stopwatch.StartNew(); // a start-up timeout on this machine, not the service's notion of time
        while (!await IsListeningAsync("127.0.0.1", port, cancellationToken))
        {
            if (process.HasExited || waited.Elapsed > readyTimeout)
            {
                var output = node.Output;
                await node.DisposeAsync();
                throw new InvalidOperationException($"{Path.GetFileName(script)} did not start listening on port {port}: {LastLine(output)}");
            }

            await Task.Delay(100, cancellationToken);
        }

        return node;
    }

    private static async Task<FileStream> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> arguments, string directory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string LastLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output";
}

/// <summary>A node child process; disposing it stops it and everything it started.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    internal NodeProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The operating system's id of the process.</summary>
    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 1_000_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>
    /// Stops the process the way a person at a terminal would (SIGINT, Ctrl+C), so it can flush what it
    /// holds — Azurite saves its database only on a timer or on SIGINT; a kill loses acknowledged writes —
    /// and kills it only if it has not exited after <see cref="GracefulStop"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited && !OperatingSystem.IsWindows() && await InterruptAsync(_process.Id))
            {
                using var grace = new CancellationTokenSource(GracefulStop);
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    // Did not stop in time: killed below.
                }
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    /// <summary>How long a stopping process may take to flush and exit before it is killed.</summary>
    public static TimeSpan GracefulStop { get; } = TimeSpan.FromSeconds(15);

    private static async Task<bool> InterruptAsync(int pid)
    {
        // .NET can receive POSIX signals but not send them; kill(1) is on every Unix.
        var info = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add("-INT");
        info.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var kill = Process.Start(info);
            if (kill is null)
            {
                return false;
            }

            await kill.WaitForExitAsync();
            return kill.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no kill(1): fall back to killing
        }
    }
}
