using System.Text;
using Alerts.Core.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Alerts.Core.Pages;

/// <summary>Which navigation a page shows.</summary>
public enum PageArea
{
    Public,
    Console,
}

/// <summary>A page ready to send: the whole document, its status and the headers every page carries.</summary>
public sealed class HtmlPage(string html, int status) : IResult
{
    /// <summary>
    /// Scripts and styles only from our own origin, never inline; no plugins, no framing, forms post
    /// only to us. Feed text that slipped through encoding still could not run.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public int Status => status;

    public string Html => html;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer"; // tokens in /manage links never leak to the sites linked from a page
        response.Headers.CacheControl = "no-store";
        return response.WriteAsync(html, Encoding.UTF8, httpContext.RequestAborted);
    }
}

/// <summary>
/// What every page handler uses: the layout (one look for all pages), antiforgery on forms, reading
/// a bounded form, and error pages with a way forward instead of stack traces.
/// </summary>
public sealed class PageKit(IAntiforgery antiforgery, AdminSignIn signIn, ILogger<PageKit> logger)
{
    public AdminSignIn SignIn => signIn;

    /// <summary>A whole page in the common layout.</summary>
    public HtmlPage Page(HttpContext context, string title, Markup main, PageArea area = PageArea.Public, int status = 200, string? current = null, bool narrow = false)
    {
        var nav = area == PageArea.Console ? ConsoleNav(context, current) : PublicNav();
        var html = Html.Of($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · Alerts</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="/assets/site.css">
            <script src="/assets/site.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="top"><div class="bar">{nav}</div></header>
            <main id="main"{(narrow ? new Markup(" class=\"narrow\"") : Markup.Empty)}>
            {main}
            </main>
            <footer class="foot">Alerts watches news feeds for oil and arms dealings between Iran, North Korea and Russia, and explains every match.</footer>
            </body>
            </html>
            """);
        return new HtmlPage(html.Value, status);
    }

    /// <summary>An error page: what went wrong in one sentence, and where to go from here.</summary>
    public HtmlPage Error(HttpContext context, int status, string title, string detail, Markup wayForward, PageArea area = PageArea.Public) =>
        Page(context, title, Html.Of($"""
            <h1>{title}</h1>
            <div class="notice error" role="alert"><p>{detail}</p></div>
            <div class="actions">{wayForward}</div>
            """), area, status, narrow: true);

    /// <summary>The hidden field every form carries (ASP.NET Core antiforgery; its cookie is set with it).</summary>
    public Markup Antiforgery(HttpContext context)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return Html.Of($"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">");
    }

    /// <summary>
    /// Reads a posted form of at most 1 MiB and checks its antiforgery token. The form, or the error page to send instead.
    /// </summary>
    public async Task<(IFormCollection? Form, IResult? Refusal)> ReadFormAsync(HttpContext context, PageArea area, string back, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (!request.HasFormContentType)
        {
            return (null, Error(context, 400, "Not a form", "This address takes a form sent from its page.", BackLink(back), area));
        }

        if (request.ContentLength is null or > ApiJson.MaxBodyBytes)
        {
            return (null, Error(context, 413, "Too much to send", $"A form may be at most {ApiJson.MaxBodyBytes / 1024} KiB.", BackLink(back), area));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (null, Error(context, 400, "Unreadable form", "The form could not be read; go back and send it again.", BackLink(back), area));
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return (null, Error(context, 400, "This form has expired", "For your safety each form can only be sent from a page we served recently. Open the page again and resend.", BackLink(back), area));
        }

        return (form, null);
    }

    public static Markup BackLink(string href, string text = "Back to the page") => Html.Of($"<a class=\"button secondary\" href=\"{href}\">{text}</a>");

    /// <summary>A 303 after a successful post, so that reloading the next page does not post again.</summary>
    public static IResult SeeOther(string location) => new SeeOtherResult(location);

    /// <summary>
    /// Runs a page handler; storage trouble becomes a 503 page with Retry-After, anything unexpected a
    /// plain 500 page (logged) — never a stack trace in the browser.
    /// </summary>
    public async Task<IResult> GuardAsync(HttpContext context, PageArea area, Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is Storage.StorageUnavailableException or Azure.RequestFailedException)
        {
            logger.LogWarning("Page {Path} could not reach storage: {Error}", context.Request.Path.Value, ex.Message);
            context.Response.Headers.RetryAfter = "30";
            return Error(context, 503, "Briefly unavailable", "Our storage is not answering right now. Nothing you sent was lost; try again in a minute.", BackLink(context.Request.Path.Value ?? "/", "Try again"), area);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Page {Path} failed", context.Request.Path.Value);
            return Error(context, 500, "Something went wrong", "The page could not be shown. The error was logged; try again, or go back.", BackLink("/", "Home"), area);
        }
    }

    public static string? Field(IFormCollection form, string name)
    {
        var value = form[name];
        return StringValues.IsNullOrEmpty(value) ? null : value.ToString().Trim();
    }

    private static Markup PublicNav() => Html.Of($"""<a class="brand" href="/">Alerts</a><nav aria-label="Site"><ul><li><a href="/#what">What we watch</a></li><li><a href="/#subscribe">Subscribe</a></li></ul></nav>""");

    private Markup ConsoleNav(HttpContext context, string? current)
    {
        var links = new (string Href, string Label)[]
        {
            ("/console", "Dashboard"), ("/console/matches", "Matches"), ("/console/watchlists", "Watchlists"), ("/console/feeds", "Feeds"), ("/console/subscribers", "Subscribers"),
        };
        var items = Html.Join(links.Select(l => l.Href == current
            ? Html.Of($"<li><a href=\"{l.Href}\" aria-current=\"page\">{l.Label}</a></li>")
            : Html.Of($"<li><a href=\"{l.Href}\">{l.Label}</a></li>")));
        var who = signIn.Who(context);
        var account = who is null
            ? Markup.Empty
            : signIn.UsesAppService
                ? Html.Of($"<div class=\"who\"><span>{who}</span><a href=\"/.auth/logout\">Sign out</a></div>")
                : Html.Of($"""<div class="who"><span>{who}</span><form class="inline-form" method="post" action="/console/sign-out">{Antiforgery(context)}<button type="submit">Sign out</button></form></div>""");
        return Html.Of($"""<a class="brand" href="/console">Alerts console</a><nav aria-label="Console"><ul>{items}</ul></nav>{account}""");
    }

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
