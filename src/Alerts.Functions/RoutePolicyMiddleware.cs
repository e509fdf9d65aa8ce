using Alerts.Core.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Functions;

/// <summary>
/// Applies the route tables' policy before an HTTP trigger runs, as <c>alerts serve</c> does: the API's
/// rate limits (keys are the Functions host's job: the trigger attributes, checked against the table by
/// a test), and the pages' rate limits and console sign-in.
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

        if (Core.Pages.PageRoutes.OfFunction(context.FunctionDefinition.Name) is { } page
            && context.GetHttpContext() is { } pageHttp
            && context.InstanceServices.GetRequiredService<RoutePolicy>().Check(page, pageHttp) is { } refused)
        {
            await refused.ExecuteAsync(pageHttp);
            context.GetInvocationResult().Value = new EmptyResult();
            return;
        }

        await next(context);
    }
}
