using Alerts.Core.Api;
using Alerts.Core.Digests;
using Alerts.Core.Email;
using Alerts.Core.Feeds;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Alerts.Core.Subscribers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NCrontab;
using SendGrid;

namespace Alerts.Core;

/// <summary>The one composition root, used by the Functions host, the CLI and the tests.</summary>
public static class AlertsServiceCollectionExtensions
{
    public static IServiceCollection AddAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<AlertsOptions>().Bind(configuration.GetSection(AlertsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .Validate(o => o.TableServiceUri is not null || !string.IsNullOrWhiteSpace(o.ConnectionString), "Alerts:Storage needs ConnectionString or TableServiceUri")
            .ValidateOnStart();
        services.AddOptions<SendGridOptions>().Bind(configuration.GetSection(SendGridOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ScheduleOptions>().Bind(configuration.GetSection(ScheduleOptions.Section)).ValidateDataAnnotations()
            .Validate(o => IsSchedule(o.Poll), "Alerts:Schedules:Poll is not a six-field NCrontab expression")
            .Validate(o => IsSchedule(o.Digest), "Alerts:Schedules:Digest is not a six-field NCrontab expression")
            .ValidateOnStart();
        services.AddOptions<FetchOptions>().Bind(configuration.GetSection(FetchOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SigningKeyInAzure>();
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, SenderNeedsFrom>();

        services.AddSingleton(TimeProvider.System);

        // Storage
        services.AddSingleton(sp => TableStorage.CreateServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<TableStorage>();
        services.AddSingleton<FeedStore>();
        services.AddSingleton<SeenItemStore>();
        services.AddSingleton<MatchStore>();
        services.AddSingleton<SubscriberStore>();
        services.AddSingleton<DigestStore>();
        services.AddSingleton<WatchlistStore>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<RecentItemStore>();
        services.AddSingleton<AuditStore>();

        // Feeds
        services.AddHttpClient(FeedFetcher.HttpClientName, (sp, client) =>
            {
                var fetch = sp.GetRequiredService<IOptions<FetchOptions>>().Value;
                client.Timeout = Timeout.InfiniteTimeSpan; // FeedFetcher applies its own total timeout
                client.DefaultRequestHeaders.UserAgent.ParseAdd(fetch.UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(sp => FeedFetcher.CreateHandler(sp.GetRequiredService<IOptions<FetchOptions>>().Value));
        services.AddSingleton<FeedFetcher>();
        services.AddOptions<MatchingOptions>().Bind(configuration.GetSection(MatchingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ArticleSecondLook>();
        services.AddSingleton<PollService>();

        // Email
        services.AddHttpClient("sendgrid");
        services.AddSingleton<ISendGridClient>(sp =>
        {
            var sendGrid = sp.GetRequiredService<IOptions<SendGridOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient("sendgrid");
            // The client's own retries stay off: retrying is the digest service's decision.
            return new SendGridClient(http, new SendGridClientOptions { ApiKey = sendGrid.ApiKey, Host = sendGrid.Host });
        });
        services.AddSingleton<SendGridEmailSender>();
        services.AddSingleton<OutboxEmailSender>();
        services.AddSingleton<IEmailSender>(sp => string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<SendGridOptions>>().Value.ApiKey)
            ? sp.GetRequiredService<OutboxEmailSender>()
            : sp.GetRequiredService<SendGridEmailSender>());
        services.AddSingleton<DigestService>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<SubscriptionService>();
        services.AddSingleton<PollCycle>();

        // HTTP handlers shared by Functions and `alerts serve`
        services.AddSingleton<CheckHandler>();
        services.AddSingleton<HealthHandler>();
        services.AddSingleton<MatchesHandler>();
        services.AddSingleton<SubscriptionHandler>();
        services.AddSingleton<WatchlistsHandler>();
        services.AddSingleton<FeedsHandler>();
        services.AddSingleton<SubscribersHandler>();
        services.AddSingleton<PublicRateLimiter>();
        return services;
    }

    internal static bool IsSchedule(string? expression) =>
        !string.IsNullOrWhiteSpace(expression) && CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is not null;

    /// <summary>Locally a signing key is generated; in Azure (managed identity storage) it must be configured.</summary>
    private sealed class SigningKeyInAzure(IOptions<StorageOptions> storage) : IValidateOptions<SecurityOptions>
    {
        public ValidateOptionsResult Validate(string? name, SecurityOptions options) =>
            storage.Value.TableServiceUri is not null && (options.SigningKey?.Length ?? 0) < 32
                ? ValidateOptionsResult.Fail("Alerts:Security:SigningKey (at least 32 characters) is required when Alerts:Storage:TableServiceUri is set")
                : ValidateOptionsResult.Success;
    }

    private sealed class SenderNeedsFrom(IOptions<SendGridOptions> sendGrid) : IValidateOptions<EmailOptions>
    {
        public ValidateOptionsResult Validate(string? name, EmailOptions options) =>
            !string.IsNullOrWhiteSpace(sendGrid.Value.ApiKey) && string.IsNullOrWhiteSpace(options.From)
                ? ValidateOptionsResult.Fail("Alerts:Email:From is required when Alerts:SendGrid:ApiKey is set")
                : ValidateOptionsResult.Success;
    }
}
