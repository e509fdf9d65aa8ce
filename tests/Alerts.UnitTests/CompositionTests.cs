using Alerts.Core;
using Alerts.Core.Digests;
using Alerts.Core.Email;
using Alerts.Core.Polling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alerts.UnitTests;

/// <summary>AddAlerts is the one composition root: it must stand on its own and validate at start.</summary>
public sealed class CompositionTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAlerts(configuration); // no IConfiguration registered: AddAlerts must use the one it is given
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddAlerts_OnlyConfigurationGiven_ResolvesAndBindsIt()
    {
        using var provider = Build(new() { ["Alerts:Fetch:Concurrency"] = "3", ["Alerts:Schedules:Poll"] = "0 */5 * * * *" });

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.NotNull(provider.GetRequiredService<PollService>());
        Assert.NotNull(provider.GetRequiredService<DigestService>());
        Assert.Equal(3, provider.GetRequiredService<IOptions<FetchOptions>>().Value.Concurrency);
        Assert.Equal("0 */5 * * * *", provider.GetRequiredService<IOptions<ScheduleOptions>>().Value.Poll);
    }

    [Fact]
    public void AddAlerts_NoApiKey_WritesToOutbox_WithKey_UsesSendGrid()
    {
        using var local = Build([]);
        using var azure = Build(new() { ["Alerts:SendGrid:ApiKey"] = "SG.x", ["Alerts:Email:From"] = "alerts@example.com" });

        Assert.IsType<OutboxEmailSender>(local.GetRequiredService<IEmailSender>());
        Assert.IsType<SendGridEmailSender>(azure.GetRequiredService<IEmailSender>());
    }

    [Theory]
    [InlineData("Alerts:Schedules:Digest", "hourly", "Alerts:Schedules:Digest")]
    [InlineData("Alerts:Fetch:TimeoutSeconds", "0", "TimeoutSeconds")]
    [InlineData("Alerts:SendGrid:ApiKey", "SG.x", "Alerts:Email:From is required")]
    [InlineData("Alerts:PublicBaseUrl", "not a url", "PublicBaseUrl")]
    [InlineData("Alerts:Storage:TableServiceUri", "https://account.table.core.windows.net", "Alerts:Storage:QueueServiceUri")]
    [InlineData("Alerts:Queue:BatchSize", "64", "BatchSize")]
    [InlineData("Alerts:Retention:SeenItemsDays", "0", "SeenItemsDays")]
    [InlineData("Alerts:Schedules:Prune", "daily", "Alerts:Schedules:Prune")]
    public void AddAlerts_BadSetting_FailsValidationNamingIt(string key, string value, string expected)
    {
        using var provider = Build(new() { [key] = value });

        var ex = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        // One bad option may fail a second one that reads it (the signing-key rule reads the storage options): then they come together.
        var failures = ex is AggregateException all ? all.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures) : Assert.IsType<OptionsValidationException>(ex).Failures;
        Assert.Contains(expected, string.Join("; ", failures));
    }

    [Fact]
    public void AddAlerts_ManagedIdentityWithoutSigningKey_FailsValidationNamingIt()
    {
        using var provider = Build(new()
        {
            ["Alerts:Storage:TableServiceUri"] = "https://account.table.core.windows.net",
            ["Alerts:Storage:QueueServiceUri"] = "https://account.queue.core.windows.net",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Alerts:Security:SigningKey", string.Join("; ", ex.Failures));
    }
}
