using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Pages;

/// <summary><c>/console/sign-in</c> and <c>/console/sign-out</c>.</summary>
public sealed class ConsoleSignInPages(PageKit kit)
{
    public Task<IResult> SignInAsync(HttpContext context, CancellationToken cancellationToken) => kit.GuardAsync(context, PageArea.Console, async () =>
    {
        var next = SafeNext(context.Request.Query["next"].ToString());
        if (kit.SignIn.Who(context) is not null)
        {
            return PageKit.SeeOther(next);
        }

        if (kit.SignIn.UsesAppService)
        {
            // Entra ID through App Service authentication: its own sign-in page, then back here.
            return PageKit.SeeOther("/.auth/login/aad" + Html.Query(("post_login_redirect_uri", next)));
        }

        if (!kit.SignIn.KeyConfigured)
        {
            return kit.Error(context, 503, "Sign-in is not set up", "Set Alerts:Api:AdminKey (or turn on App Service authentication with Alerts:Admin:AppServiceAuthentication) to use the console.", PageKit.BackLink("/", "Home"), PageArea.Console);
        }

        var failed = false;
        if (HttpMethods.IsPost(context.Request.Method))
        {
            var (form, refusal) = await kit.ReadFormAsync(context, PageArea.Console, "/console/sign-in", cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }

            if (kit.SignIn.TrySignIn(context, form!["key"].ToString(), PageKit.Field(form!, "name")))
            {
                return PageKit.SeeOther(next);
            }

            failed = true;
        }

        var problem = failed ? Html.Of($"<div class=\"notice error\" role=\"alert\"><p>That is not the admin key.</p></div>") : Markup.Empty;
        return kit.Page(context, "Sign in", Html.Of($"""
            <h1>Sign in to the console</h1>
            {problem}
            <form method="post" action="/console/sign-in{Html.Query(("next", next == "/console" ? null : next))}" class="card">
            {kit.Antiforgery(context)}
            <div class="field"><label for="key">Admin key</label><input type="password" id="key" name="key" autocomplete="current-password" required>
            <p class="hint"><code>alerts serve</code> prints it at start (or set <code>Alerts:Api:AdminKey</code>).</p></div>
            <div class="field"><label for="name">Your name <span class="muted">(optional, for the audit)</span></label><input type="text" id="name" name="name" autocomplete="name" maxlength="60"></div>
            <button type="submit">Sign in</button>
            </form>
            """), PageArea.Console, failed ? 401 : 200, narrow: true);
    });

    public Task<IResult> SignOutAsync(HttpContext context, CancellationToken cancellationToken) => kit.GuardAsync(context, PageArea.Console, async () =>
    {
        var (_, refusal) = await kit.ReadFormAsync(context, PageArea.Console, "/console", cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        AdminSignIn.SignOut(context);
        return PageKit.SeeOther("/console/sign-in");
    });

    /// <summary>Only a path of the console: never another site (an open redirect), never a scheme-relative <c>//host</c>.</summary>
    public static string SafeNext(string? next) =>
        next is { Length: > 0 and < 500 } && next.StartsWith("/console", StringComparison.Ordinal) && !next.StartsWith("//", StringComparison.Ordinal) && !next.Contains('\\', StringComparison.Ordinal)
            ? next
            : "/console";
}
