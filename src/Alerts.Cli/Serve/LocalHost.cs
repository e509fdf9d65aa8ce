using System.Security.Cryptography;
using Alerts.Core;
using Alerts.Core.Api;
using Alerts.Local;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Alerts.Cli.Serve;

/// <summary>
/// <c>alerts serve</c>: the same services as the Functions app, hosted on Kestrel with the poll, digest
/// and prune timers on the same NCrontab schedules and a <c>poll-feeds</c> queue consumer. Starts
/// Azurite (tables and queues) when the storage is the local default and nothing listens on its ports.
/// </summary>
internal static class LocalHost
{
    public const string DefaultUrls = "http://127.0.0.1:7071";
    public const string AdminKeyHeader = "x-alerts-key";

    /// <param name="urls">Where to listen (checked by the <c>serve</c> command's parser).</param>
    public static async Task<int> RunAsync(string urls, IConfiguration configuration, TextWriter stdout, CancellationToken cancellationToken)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        await using var azurite = await StartAzuriteIfNeededAsync(storage, stdout, cancellationToken);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            // A developer's machine unless told otherwise (ASPNETCORE_ENVIRONMENT or DOTNET_ENVIRONMENT): the host's default is Production.
            EnvironmentName = configuration["ASPNETCORE_ENVIRONMENT"] ?? configuration["DOTNET_ENVIRONMENT"] ?? Environments.Development,
        });
        builder.Configuration.AddConfiguration(configuration);
        if (azurite is not null)
        {
            builder.Configuration[$"{StorageOptions.Section}:ConnectionString"] = azurite.ConnectionString;
        }

        var adminKey = configuration[$"{ApiOptions.Section}:AdminKey"];
        var generated = string.IsNullOrWhiteSpace(adminKey);
        if (generated)
        {
            adminKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            builder.Configuration[$"{ApiOptions.Section}:AdminKey"] = adminKey; // the console's sign-in checks the same key
        }

        builder.WebHost.UseUrls(urls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("System.Net.Http", LogLevel.Warning)
            // "Hosting failed to start" (a taken port) comes with a stack trace; alerts says it in one line and exits 1.
            // A crashed background service is still logged here, at Critical.
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Services.AddAlerts(builder.Configuration);
        builder.Services.AddProblemDetails();
        builder.Services.AddHostedService<ScheduleRunner>();
        builder.Services.AddHostedService<PollQueueWorker>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Storage trouble is a 503 with a reason, as in the Functions host; anything else stays a plain 500 problem.
            StatusCodeSelector = ex => ex is Core.Storage.StorageUnavailableException or Azure.RequestFailedException ? 503 : 500,
            ExceptionHandler = async context =>
            {
                var error = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
                var answer = error is null ? null : ApiJson.ForFailure(error, context);
                await (answer ?? ApiJson.Problem(500, "Internal error", "the request failed unexpectedly; the server log has the details")).ExecuteAsync(context);
            },
        });
        app.UseStatusCodePages();
        app.UseRouting();
        app.Use(async (context, next) =>
        {
            // The policy of every API route comes from one table (ApiRoutes), as in the Functions app:
            // locally the admin key stands in for function and admin keys.
            if (context.GetEndpoint()?.Metadata.GetMetadata<ApiRoute>() is { } route)
            {
                if (route.Access != RouteAccess.Anonymous && !FixedTimeEquals(context.Request.Headers[AdminKeyHeader].ToString(), adminKey!))
                {
                    await ApiJson.Problem(401, "Key required", $"send the admin key in the {AdminKeyHeader} header").ExecuteAsync(context);
                    return;
                }

                if (context.RequestServices.GetRequiredService<RoutePolicy>().Check(route, context.Request) is { } limited)
                {
                    await limited.ExecuteAsync(context);
                    return;
                }
            }

            if (context.GetEndpoint()?.Metadata.GetMetadata<Core.Pages.PageRoute>() is { } page
                && context.RequestServices.GetRequiredService<RoutePolicy>().Check(page, context) is { } refused)
            {
                await refused.ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        MapRoutes(app);
        MapPages(app);

        await app.StartAsync(cancellationToken);
        await stdout.WriteLineAsync($"Alerts is listening on {urls}");
        await stdout.WriteLineAsync(generated
            ? $"admin key (header {AdminKeyHeader}): {adminKey}   (set Alerts__Api__AdminKey to keep one)"
            : $"admin key: from configuration (header {AdminKeyHeader})");
        await stdout.WriteLineAsync("Press Ctrl+C to stop.");

        // Ctrl+C (our token) and SIGTERM (the host's own lifetime) both end here; the host then
        // stops the timers, which finish or abandon their current feed cleanly, and Azurite last.
        using (cancellationToken.Register(() => app.Lifetime.StopApplication()))
        {
            await app.WaitForShutdownAsync(CancellationToken.None);
        }

        await app.DisposeAsync();
        await stdout.WriteLineAsync("stopped");
        return 0;
    }

    /// <summary>The HTTP API: the same Core handlers the Functions HTTP triggers call, each tagged with its <see cref="ApiRoute"/>.</summary>
    internal static void MapRoutes(WebApplication app)
    {
        Map(app, "Check", "POST", (HttpRequest request, [FromServices] CheckHandler handler, CancellationToken ct) => handler.HandleAsync(request, ct));
        Map(app, "Health", "GET", (HttpRequest request, [FromServices] HealthHandler handler, CancellationToken ct) => handler.HandleAsync(request, ct));
        Map(app, "Matches", "GET", (HttpRequest request, [FromServices] MatchesHandler handler, CancellationToken ct) => handler.HandleAsync(request, ct));

        Map(app, "Watchlists", "GET", ([FromServices] WatchlistsHandler handler, CancellationToken ct) => handler.ListAsync(ct));
        Map(app, "Watchlist", "GET", (string name, [FromServices] WatchlistsHandler handler, CancellationToken ct) => handler.GetAsync(name, ct));
        Map(app, "Watchlist", "PUT", (string name, HttpRequest request, [FromServices] WatchlistsHandler handler, CancellationToken ct) => handler.PutAsync(name, request, ct));
        Map(app, "Watchlist", "DELETE", (string name, HttpRequest request, [FromServices] WatchlistsHandler handler, CancellationToken ct) => handler.DeleteAsync(name, request, ct));
        Map(app, "WatchlistTest", "POST", (string name, HttpRequest request, [FromServices] WatchlistsHandler handler, CancellationToken ct) => handler.TestAsync(name, request, ct));

        Map(app, "Feeds", "GET", ([FromServices] FeedsHandler handler, CancellationToken ct) => handler.ListAsync(ct));
        Map(app, "Feeds", "POST", (HttpRequest request, [FromServices] FeedsHandler handler, CancellationToken ct) => handler.AddAsync(request, ct));
        Map(app, "Feeds", "DELETE", (HttpRequest request, [FromServices] FeedsHandler handler, CancellationToken ct) => handler.RemoveAsync(request, ct));
        Map(app, "FeedsOpml", "GET", ([FromServices] FeedsHandler handler, CancellationToken ct) => handler.ExportOpmlAsync(ct));
        Map(app, "FeedsOpml", "POST", (HttpRequest request, [FromServices] FeedsHandler handler, CancellationToken ct) => handler.ImportOpmlAsync(request, ct));

        Map(app, "Subscribers", "GET", ([FromServices] SubscribersHandler handler, CancellationToken ct) => handler.ListAsync(ct));
        Map(app, "Subscribe", "POST", (HttpRequest request, [FromServices] SubscriptionHandler handler, CancellationToken ct) => handler.SubscribeAsync(request, ct));
        Map(app, "Confirm", "GET", (HttpRequest request, [FromServices] SubscriptionHandler handler, CancellationToken ct) => handler.ConfirmAsync(request, ct));
        Map(app, "Unsubscribe", "GET", (HttpRequest request, [FromServices] SubscriptionHandler handler) => handler.UnsubscribePage(request));
        Map(app, "Unsubscribe", "POST", (HttpRequest request, [FromServices] SubscriptionHandler handler, CancellationToken ct) => handler.UnsubscribeAsync(request, ct));
    }

    /// <summary>The web pages: the same Core page handlers the Functions page triggers call, each tagged with its <see cref="Core.Pages.PageRoute"/>.</summary>
    internal static void MapPages(WebApplication app)
    {
        foreach (var route in Core.Pages.PageRoutes.All)
        {
            // The route's one parameter ({name}, {file}), when it has one; the home page's is only there to match "/".
            var parameter = route.Route.Contains('{', StringComparison.Ordinal) && route.Route != Core.Pages.PageRoutes.HomeRoute
                ? route.Route[(route.Route.IndexOf('{', StringComparison.Ordinal) + 1)..route.Route.IndexOf('}', StringComparison.Ordinal)]
                : null;
            app.MapMethods(route.Pattern, route.Methods, (HttpContext context, [FromServices] Core.Pages.PageDispatcher pages, CancellationToken ct) =>
                    pages.HandleAsync(route, context, parameter is null ? null : context.Request.RouteValues[parameter]?.ToString(), ct))
                .WithMetadata(route);
        }

        // Pages in the site's look for addresses that are not pages (the API keeps its problem+json).
        app.MapFallback((HttpContext context, [FromServices] Core.Pages.PageKit kit) =>
            context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                ? ApiJson.Problem(404, "Not found", "no such API route; see /api/health and the README")
                : kit.Error(context, 404, "Page not found", "There is no page at this address.", Core.Pages.PageKit.BackLink("/", "Home")));
    }

    private static void Map(WebApplication app, string function, string method, Delegate handler)
    {
        var route = ApiRoutes.OfFunction(function) ?? throw new InvalidOperationException($"{function} is not in ApiRoutes");
        if (!route.Methods.Contains(method))
        {
            throw new InvalidOperationException($"{method} is not a method of {function} in ApiRoutes");
        }

        app.MapMethods(route.Pattern, [method], handler).WithMetadata(route);
    }

    private static async Task<Azurite?> StartAzuriteIfNeededAsync(StorageOptions storage, TextWriter stdout, CancellationToken cancellationToken)
    {
        if (!storage.IsLocalDefault || await LocalTools.IsListeningAsync("127.0.0.1", Azurite.DefaultTablePort, cancellationToken))
        {
            return null;
        }

        var data = Path.Combine(Directory.GetCurrentDirectory(), ".alerts", "azurite");
        await stdout.WriteLineAsync($"starting Azurite on 127.0.0.1:{Azurite.DefaultTablePort} (tables) and :{Azurite.DefaultQueuePort} (queues), data in {data}…");
        try
        {
            return await Azurite.StartAsync(Azurite.DefaultTablePort, data, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw new Core.Storage.StorageUnavailableException($"could not start Azurite: {ex.Message}", ex);
        }
    }

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(expected));
}
