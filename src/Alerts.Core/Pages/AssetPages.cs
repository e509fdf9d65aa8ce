using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Pages;

/// <summary>
/// <c>/assets/{file}</c>: the stylesheet and the one small script, embedded in the assembly so both
/// hosts serve the same bytes without a wwwroot or a static-files middleware (the Functions worker has none).
/// </summary>
public static class AssetPages
{
    private static readonly Dictionary<string, (byte[] Body, string ContentType, string ETag)> Assets = new(StringComparer.Ordinal)
    {
        ["site.css"] = Load("site.css", "text/css; charset=utf-8"),
        ["site.js"] = Load("site.js", "text/javascript; charset=utf-8"),
    };

    public static IResult Serve(HttpContext context, string file)
    {
        if (!Assets.TryGetValue(file, out var asset))
        {
            return Results.NotFound();
        }

        return new AssetResult(asset.Body, asset.ContentType, asset.ETag);
    }

    private static (byte[], string, string) Load(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Alerts.Core.Pages.{name}")
            ?? throw new InvalidOperationException($"embedded asset {name} is missing");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        return (bytes, contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
    }

    private sealed class AssetResult(byte[] body, string contentType, string etag) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.Headers.ETag = etag;
            response.Headers.CacheControl = "public, max-age=300";
            response.Headers.XContentTypeOptions = "nosniff";
            if (httpContext.Request.Headers.IfNoneMatch.ToString() == etag)
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }

            response.ContentType = contentType;
            response.ContentLength = body.Length;
            return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
        }
    }
}
