using Alerts.Local;

[assembly: AssemblyFixture(typeof(Alerts.IntegrationTests.PrismFixture))]

namespace Alerts.IntegrationTests;

/// <summary>Prism serving SendGrid's own OpenAPI description: it validates every request like SendGrid would.</summary>
public sealed class PrismFixture : IAsyncLifetime
{
    private NodeProcess? _process;

    public string BaseUrl { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var script = await LocalTools.EnsureScriptAsync(Path.Combine("@stoplight", "prism-cli", "dist", "index.js"), CancellationToken.None);
        var spec = Path.Combine(Paths.Shared, "specs", "sendgrid", "mail-send.openapi.json");
        var port = LocalTools.FreePort();
        _process = await LocalTools.StartNodeAsync(script, ["mock", "-h", "127.0.0.1", "-p", port.ToString(), "--errors", spec], port, TimeSpan.FromSeconds(90), CancellationToken.None);
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
