using Alerts.Core;
using Alerts.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<RoutePolicyMiddleware>();
builder.Services.AddAlerts(builder.Configuration);
// Logs, requests and dependencies to Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING, set by infra/).
builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
builder.Services.AddHostedService<MetricsToApplicationInsights>();
builder.Build().Run();
