using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Api;

/// <summary>JSON and RFC 7807 problem answers, the same from Functions and from <c>alerts serve</c>.</summary>
public static class ApiJson
{
    public const long MaxBodyBytes = 1024 * 1024;

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static IResult Ok(object value) => Results.Json(value, Options);

    /// <summary>A JSON answer with an ETag header (watchlists).</summary>
    public static IResult Ok(object value, string etag, int status = 200) => new WithETag(Results.Json(value, Options, statusCode: status), etag);

    /// <summary>
    /// Who made a change, for the audit: the Entra ID principal when App Service authentication is on
    /// (only then is its header written by the platform rather than by whoever sent the request), else
    /// the key holder's own label from <c>x-alerts-user</c>, cleaned like any name.
    /// </summary>
    public static string Who(HttpRequest request, bool appServiceAuthentication)
    {
        var principal = request.Headers[Pages.AdminSignIn.PrincipalHeader].ToString();
        if (appServiceAuthentication && principal.Length is > 0 and <= 200)
        {
            return $"{principal} (Entra ID)";
        }

        var user = request.Headers["x-alerts-user"].ToString();
        var name = user.Length is > 0 and <= 200 ? Subscribers.SubscriptionService.CleanName(user) : null;
        return name is null ? "admin key" : $"{name} (admin key)";
    }

    private sealed class WithETag(IResult inner, string etag) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.ETag = etag;
            return inner.ExecuteAsync(httpContext);
        }
    }

    public static IResult Problem(int status, string title, string detail, string? field = null) =>
        Results.Problem(
            statusCode: status,
            title: title,
            detail: detail,
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    /// <summary>
    /// The answer for an exception a handler did not expect to handle itself: storage that cannot be
    /// reached or refuses is the service's trouble, not the caller's — 503 with Retry-After, never a 500.
    /// Null for anything else (a bug: the host's own 500 handling applies).
    /// </summary>
    public static IResult? ForFailure(Exception exception, HttpContext context)
    {
        switch (exception)
        {
            case Storage.StorageUnavailableException unavailable:
                context.Response.Headers.RetryAfter = "30";
                return Problem(StatusCodes.Status503ServiceUnavailable, "Storage unavailable", unavailable.Message);
            case Azure.RequestFailedException refused:
                context.Response.Headers.RetryAfter = "30";
                return Problem(StatusCodes.Status503ServiceUnavailable, "Storage refused the request", $"storage answered {refused.Status} {refused.ErrorCode}".TrimEnd());
            default:
                return null;
        }
    }

    /// <summary>Reads a body of at most 1 MiB, stopping as soon as it is larger; a 413 problem then.</summary>
    public static async Task<(byte[] Bytes, IResult? Problem)> ReadCappedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var tooLarge = Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"the body may be at most {MaxBodyBytes} bytes");
        if (request.ContentLength > MaxBodyBytes)
        {
            return ([], tooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return ([], tooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    /// <summary>How request bodies are read: the web defaults; members the record does not know are ignored.</summary>
    public static JsonSerializerOptions RequestOptions { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Reads a JSON body of at most 1 MiB into <typeparamref name="T"/>; a problem result when it is too
    /// large, empty, not JSON, or a member has the wrong type — the problem's <c>field</c> is the member's
    /// JSON path (<c>watchlists[2]</c>), taken from the serializer's own <see cref="JsonException.Path"/>.
    /// </summary>
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        var (bytes, problem) = await ReadJsonBytesAsync(request, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        try
        {
            var body = JsonSerializer.Deserialize<T>(bytes, RequestOptions);
            return body is null
                ? (null, Problem(StatusCodes.Status400BadRequest, "Invalid body", "the body must be a JSON object"))
                : (body, null);
        }
        catch (JsonException ex)
        {
            if (!ex.Message.Contains("could not be converted", StringComparison.Ordinal))
            {
                return (null, Problem(StatusCodes.Status400BadRequest, "Invalid JSON", OneLine(ex.Message)));
            }

            var field = FieldOf(ex.Path);
            return field is null
                ? (null, Problem(StatusCodes.Status400BadRequest, "Invalid body", "the body must be a JSON object"))
                : (null, Problem(StatusCodes.Status400BadRequest, "Invalid field", $"'{field}' has the wrong type", field));
        }
    }

    /// <summary>The bytes of a body that should be JSON: at most 1 MiB (413) and not empty (400).</summary>
    private static async Task<(byte[] Bytes, IResult? Problem)> ReadJsonBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (bytes, tooLarge) = await ReadCappedAsync(request, cancellationToken);
        return tooLarge is not null ? ([], tooLarge)
            : bytes.Length == 0 ? ([], Problem(StatusCodes.Status400BadRequest, "Body required", "send a JSON object"))
            : (bytes, null);
    }

    /// <summary>"$.watchlists[2]" → "watchlists[2]"; null for the document itself.</summary>
    internal static string? FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string OneLine(string message) => message.Split('\n')[0].Split(" Path:", StringSplitOptions.None)[0];

    /// <summary>Reads a JSON body of at most 1 MiB; a problem result when it is too large, empty or not JSON.</summary>
    public static async Task<(JsonElement Body, IResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (bytes, problem) = await ReadJsonBytesAsync(request, cancellationToken);
        if (problem is not null)
        {
            return (default, problem);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            var root = document.RootElement.Clone();
            return root.ValueKind == JsonValueKind.Object
                ? (root, null)
                : (default, Problem(StatusCodes.Status400BadRequest, "Invalid body", "the body must be a JSON object"));
        }
        catch (JsonException ex)
        {
            return (default, Problem(StatusCodes.Status400BadRequest, "Invalid JSON", ex.Message.Split('\n')[0]));
        }
    }
}
