using Alerts.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alerts.IntegrationTests;

/// <summary>The services from AddAlerts, configured against the test's Azurite and Prism.</summary>
public static class TestServices
{
    public static Dictionary<string, string?> Settings(string storage, string? sendGridHost, string? outbox = null) => new()
    {
        ["Alerts:Storage:ConnectionString"] = storage,
        ["Alerts:SendGrid:ApiKey"] = sendGridHost is null ? null : "SG.test-key-for-prism",
        ["Alerts:SendGrid:Host"] = sendGridHost ?? "https://api.sendgrid.com",
        ["Alerts:Email:From"] = "alerts@example.com",
        ["Alerts:Email:OutboxDirectory"] = outbox ?? Path.Combine(Path.GetTempPath(), "alerts-outbox-" + Guid.NewGuid().ToString("N")),
        ["Alerts:Fetch:AllowPrivateNetworks"] = "true",
    };

    public static ServiceProvider Build(Dictionary<string, string?> settings, SendGridRecorder? recorder = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddAlerts(configuration);
        if (recorder is not null)
        {
            services.AddHttpClient("sendgrid").AddHttpMessageHandler(() => recorder);
        }

        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
