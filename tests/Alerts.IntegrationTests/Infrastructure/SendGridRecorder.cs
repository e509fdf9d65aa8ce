using System.Collections.Concurrent;

namespace Alerts.IntegrationTests;

/// <summary>Records every SendGrid exchange: status and Prism's sl-violations header.</summary>
public sealed class SendGridRecorder : DelegatingHandler
{
    public ConcurrentQueue<(int Status, string? Violations, string Body)> Exchanges { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        var violations = response.Headers.TryGetValues("sl-violations", out var v) ? string.Join(" ", v) : null;
        Exchanges.Enqueue(((int)response.StatusCode, violations, body));
        return response;
    }
}
