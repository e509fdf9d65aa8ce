using Alerts.Core.Api;
using Alerts.Core.Digests;
using Alerts.Core.Email;
using Alerts.Core.Feeds;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Alerts.Core.Subscribers;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NCrontab;
using Polly;
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
            // With the managed identity both endpoints are named; a connection string alone would send the queue elsewhere.
            .Validate(o => (o.TableServiceUri is null) == (o.QueueServiceUri is null), "Alerts:Storage:TableServiceUri and Alerts:Storage:QueueServiceUri go together (one storage account, reached with the managed identity)")
            .ValidateOnStart();
        services.AddOptions<QueueOptions>().Bind(configuration.GetSection(QueueOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SendGridOptions>().Bind(configuration.GetSection(SendGridOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ScheduleOptions>().Bind(configuration.GetSection(ScheduleOptions.Section)).ValidateDataAnnotations()
            .Validate(o => IsSchedule(o.Poll), "Alerts:Schedules:Poll is not a six-field NCrontab expression")
            .Validate(o => IsSchedule(o.Digest), "Alerts:Schedules:Digest is not a six-field NCrontab expression")
            .Validate(o => IsSchedule(o.Prune), "Alerts:Schedules:Prune is not a six-field NCrontab expression")
            .ValidateOnStart();
        services.AddOptions<FetchOptions>().Bind(configuration.GetSection(FetchOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SigningKeyInAzure>();
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)).ValidateDataAnnotations()
            .Validate(o => TryParseProxies(o.TrustedProxies), "Alerts:Api:TrustedProxies has an entry that is not an IP address or network")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, SenderNeedsFrom>();
        services.AddOptions<Pages.AdminOptions>().Bind(configuration.GetSection(Pages.AdminOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<AlertsMetrics>();

        // Storage
        services.AddSingleton(sp => TableStorage.CreateServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<TableStorage>();
        services.AddSingleton<FeedStore>();
        services.AddSingleton<SeenItemStore>();
        services.AddSingleton<MatchStore>();
        services.AddSingleton<IMatchStore>(sp => sp.GetRequiredService<MatchStore>());
        services.AddSingleton<SubscriberStore>();
        services.AddSingleton<ISubscriberStore>(sp => sp.GetRequiredService<SubscriberStore>());
        services.AddSingleton<DigestStore>();
        services.AddSingleton<IDigestStore>(sp => sp.GetRequiredService<DigestStore>());
        services.AddSingleton<WatchlistStore>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<RecentItemStore>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton(sp => QueueStorage.CreateServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<QueueStorage>();
        services.AddSingleton<PollQueueClient>();
        services.AddSingleton<RetentionService>();

        // Feeds
        services.AddHttpClient(FeedFetcher.HttpClientName, (sp, client) =>
            {
                var fetch = sp.GetRequiredService<IOptions<FetchOptions>>().Value;
                client.Timeout = Timeout.InfiniteTimeSpan; // FeedFetcher applies its own total timeout
                client.DefaultRequestHeaders.UserAgent.ParseAdd(fetch.UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(sp => FeedFetcher.CreateHandler(sp.GetRequiredService<IOptions<FetchOptions>>().Value, sp.GetRequiredService<PrivateHosts>()))
            .AddResilienceHandler("feeds-retry", (pipeline, context) =>
            {
                pipeline.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
                pipeline.AddRetry(FeedFetcher.RetryOptions());
            });
        services.AddSingleton<PrivateHosts>();
        services.AddSingleton<FeedFetcher>();
        services.AddSingleton<HostGate>();
        services.AddSingleton<FeedService>();
        services.AddSingleton<Checks.CheckService>();
        services.AddOptions<MatchingOptions>().Bind(configuration.GetSection(MatchingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ArticleSecondLook>();
        services.AddSingleton<PollService>();
        services.AddSingleton<PollFeedConsumer>();

        // Email
        services.AddHttpClient(SendGridEmailSender.HttpClientName)
            .AddResilienceHandler("sendgrid-retry", (pipeline, context) =>
            {
                var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
                pipeline.TimeProvider = time;
                pipeline.AddRetry(SendGridEmailSender.RetryOptions(time));
            });
        services.AddSingleton<ISendGridClient>(sp =>
        {
            var sendGrid = sp.GetRequiredService<IOptions<SendGridOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(SendGridEmailSender.HttpClientName);
            // The client's own retries stay off: the HttpClient's resilience handler retries what is safe to.
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
        services.AddSingleton<SubscriberService>();
        services.AddSingleton<PollCycle>();
        services.AddSingleton<PollDispatcher>();
        services.AddSingleton<Watchlists.WatchlistService>();
        services.AddSingleton<Matches.MatchService>();

        // HTTP handlers shared by Functions and `alerts serve`
        services.AddSingleton<CheckHandler>();
        services.AddSingleton<HealthHandler>();
        services.AddSingleton<MatchesHandler>();
        services.AddSingleton<SubscriptionHandler>();
        services.AddSingleton<WatchlistsHandler>();
        services.AddSingleton<FeedsHandler>();
        services.AddSingleton<SubscribersHandler>();
        services.AddSingleton<PublicRateLimiter>();
        services.AddSingleton<RoutePolicy>();

        // Web pages, served by both hosts from the same handlers (Pages/PageRoutes)
        // Antiforgery tokens are signed with data-protection keys: kept in storage, shared by every instance.
        services.AddDataProtection().SetApplicationName("Alerts");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DataProtectionKeyStore(sp.GetRequiredService<Azure.Data.Tables.TableServiceClient>())));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "alerts-antiforgery";
            o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
        });
        services.AddSingleton<ManageService>();
        services.AddSingleton<Pages.AdminSignIn>();
        services.AddSingleton<Pages.PageKit>();
        services.AddSingleton<Pages.SubscriberPages>();
        services.AddSingleton<Pages.ConsoleSignInPages>();
        services.AddSingleton<Pages.DashboardPage>();
        services.AddSingleton<Pages.MatchesPage>();
        services.AddSingleton<Pages.WatchlistPages>();
        services.AddSingleton<Pages.FeedPages>();
        services.AddSingleton<Pages.SubscriberAdminPages>();
        services.AddSingleton<Pages.PageDispatcher>();
        return services;
    }

    private static bool TryParseProxies(string[] entries)
    {
        try
        {
            PublicRateLimiter.ParseNetworks(entries);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
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
