using Alerts.Core;
using Alerts.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<RoutePolicyMiddleware>();
builder.Services.AddAlerts(builder.Configuration);
builder.Build().Run();
