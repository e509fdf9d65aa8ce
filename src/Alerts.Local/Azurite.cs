namespace Alerts.Local;

/// <summary>
/// Azurite's table and queue services on loopback (one node process each, so the emulator's CPU can be
/// told apart per service): in memory for tests, on disk for <c>alerts serve</c>.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account: public, the same on every machine, not a secret.</summary>
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const int DefaultTablePort = 10002;
    public const int DefaultQueuePort = 10001;

    private readonly NodeProcess _tables;
    private readonly NodeProcess _queues;

    private Azurite(NodeProcess tables, int port, NodeProcess queues, int queuePort)
    {
        _tables = tables;
        _queues = queues;
        Port = port;
        QueuePort = queuePort;
    }

    /// <summary>The table service's port.</summary>
    public int Port { get; }

    public int QueuePort { get; }

    /// <summary>Process ids of the table and queue services (benchmarks read their CPU time).</summary>
    public (int Tables, int Queues) ProcessIds => (_tables.Id, _queues.Id);

    /// <summary>One connection string for both services: the app's tables and its poll queue.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;";

    /// <param name="port">The table port; 0 picks a free one.</param>
    /// <param name="dataDirectory">Where to keep data; null keeps it in memory.</param>
    public static Task<Azurite> StartAsync(int port, string? dataDirectory, CancellationToken cancellationToken) =>
        StartAsync(port, port == DefaultTablePort ? DefaultQueuePort : 0, dataDirectory, cancellationToken);

    /// <param name="port">The table port; 0 picks a free one.</param>
    /// <param name="queuePort">The queue port; 0 picks a free one. Give both to start the same emulator again on the same ports.</param>
    /// <param name="dataDirectory">Where to keep data; null keeps it in memory.</param>
    public static async Task<Azurite> StartAsync(int port, int queuePort, string? dataDirectory, CancellationToken cancellationToken)
    {
        var tableScript = await LocalTools.EnsureScriptAsync(Path.Combine("azurite", "dist", "src", "table", "main.js"), cancellationToken);
        var queueScript = await LocalTools.EnsureScriptAsync(Path.Combine("azurite", "dist", "src", "queue", "main.js"), cancellationToken);
        if (queuePort == 0)
        {
            queuePort = LocalTools.FreePort();
        }

        if (port == 0)
        {
            port = LocalTools.FreePort();
        }

        var tables = await LocalTools.StartNodeAsync(tableScript, Arguments("table", port, dataDirectory), port, TimeSpan.FromSeconds(60), cancellationToken);
        try
        {
            var queues = await LocalTools.StartNodeAsync(queueScript, Arguments("queue", queuePort, dataDirectory), queuePort, TimeSpan.FromSeconds(60), cancellationToken);
            return new Azurite(tables, port, queues, queuePort);
        }
        catch
        {
            await tables.DisposeAsync();
            throw;
        }
    }

    private static List<string> Arguments(string service, int port, string? dataDirectory)
    {
        // --silent: no access log line per request, which cost the emulator a share of its CPU under load.
        List<string> arguments = [$"--{service}Host", "127.0.0.1", $"--{service}Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--skipApiVersionCheck", "--disableProductStyleUrl", "--disableTelemetry", "--silent"];
        if (dataDirectory is null)
        {
            arguments.Add("--inMemoryPersistence");
        }
        else
        {
            // Both services keep their own database files in the one folder.
            Directory.CreateDirectory(dataDirectory);
            arguments.AddRange(["--location", dataDirectory]);
        }

        return arguments;
    }

    public async ValueTask DisposeAsync()
    {
        await _queues.DisposeAsync();
        await _tables.DisposeAsync();
    }
}
