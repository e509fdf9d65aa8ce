using Alerts.Core.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Functions;

/// <summary>
/// Applies the route table's rate limits before an HTTP trigger runs, as <c>alerts serve</c> does.
/// Keys are the Functions host's job (the trigger attributes, checked against the table by a test).
/// </summary>
public sealed class RoutePolicyMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (ApiRoutes.OfFunction(context.FunctionDefinition.Name) is { RateLimited: true } route
            && context.GetHttpContext() is { } http
            && context.InstanceServices.GetRequiredService<RoutePolicy>().Check(route, http.Request) is { } limited)
        {
            await limited.ExecuteAsync(http);
            context.GetInvocationResult().Value = new EmptyResult();
            return;
        }

        await next(context);
    }
}
