namespace Alerts.Local;

/// <summary>Azurite's table service on loopback: in memory for tests, on disk for <c>alerts serve</c>.</summary>
public sealed class Azurite : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account: public, the same on every machine, not a secret.</summary>
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const int DefaultTablePort = 10002;

    private readonly NodeProcess _process;

    private Azurite(NodeProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    /// <param name="port">The table port; 0 picks a free one.</param>
    /// <param name="dataDirectory">Where to keep data; null keeps it in memory.</param>
    public static async Task<Azurite> StartAsync(int port, string? dataDirectory, CancellationToken cancellationToken)
    {
        var script = await LocalTools.EnsureScriptAsync(Path.Combine("azurite", "dist", "src", "table", "main.js"), cancellationToken);
        if (port == 0)
        {
            port = LocalTools.FreePort();
        }

        List<string> arguments = ["--tableHost", "127.0.0.1", "--tablePort", port.ToString(), "--skipApiVersionCheck", "--disableProductStyleUrl", "--disableTelemetry"];
        if (dataDirectory is null)
        {
            arguments.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(dataDirectory);
            arguments.AddRange(["--location", dataDirectory]);
        }

        var process = await LocalTools.StartNodeAsync(script, arguments, port, TimeSpan.FromSeconds(60), cancellationToken);
        return new Azurite(process, port);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
