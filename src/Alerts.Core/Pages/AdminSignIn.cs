using System.Security.Cryptography;
using System.Text;
using Alerts.Core.Subscribers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Pages;

/// <summary>Settings of the admin console under <c>Alerts:Admin</c>.</summary>
public sealed class AdminOptions
{
    public const string Section = "Alerts:Admin";

    /// <summary>
    /// App Service authentication (Entra ID) is on in front of the app: believe its
    /// <c>x-ms-client-principal-name</c> header. Off by default, because without it in front any client
    /// could send that header.
    /// </summary>
    public bool AppServiceAuthentication { get; set; }

    /// <summary>Show the newest matched headlines on the public home page.</summary>
    public bool PublicHeadlines { get; set; }

    /// <summary>How long a console session lasts.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 168)]
    public int SessionHours { get; set; } = 8;
}

/// <summary>
/// Who is signed in to the console. Locally (and wherever <c>Alerts:Api:AdminKey</c> is set) the
/// sign-in form trades the admin key for a signed, expiring session in an HttpOnly, SameSite=Strict
/// cookie: the key itself is never stored in the browser nor put in a URL, and a session names the
/// key it was made with (a fingerprint), so changing the key signs everyone out. In Azure, with
/// App Service authentication configured, the signed-in principal is the admin.
/// </summary>
public sealed class AdminSignIn(IOptions<ApiOptions> api, IOptions<AdminOptions> admin, TokenService tokens)
{
    public const string CookieName = "alerts-console";
    public const string PrincipalHeader = "x-ms-client-principal-name";

    public bool UsesAppService => admin.Value.AppServiceAuthentication;

    /// <summary>Whether the sign-in form can work: an admin key is configured.</summary>
    public bool KeyConfigured => !string.IsNullOrEmpty(api.Value.AdminKey);

    /// <summary>The signed-in admin's name for the audit, or null.</summary>
    public string? Who(HttpContext context)
    {
        if (UsesAppService)
        {
            var principal = context.Request.Headers[PrincipalHeader].ToString();
            if (principal.Length is > 0 and <= 200)
            {
                return $"{principal} (Entra ID)";
            }
        }

        if (!KeyConfigured || !context.Request.Cookies.TryGetValue(CookieName, out var session))
        {
            return null;
        }

        var claims = tokens.Read(session, TokenPurpose.ConsoleSession);
        return claims is not null && claims.Nonce == KeyFingerprint() ? $"{claims.Email} (admin key)" : null;
    }

    /// <summary>Signs in when <paramref name="key"/> is the admin key: sets the session cookie and answers true.</summary>
    public bool TrySignIn(HttpContext context, string? key, string? name)
    {
        var expected = api.Value.AdminKey;
        if (string.IsNullOrEmpty(expected) || key is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(expected)))
        {
            return false;
        }

        var who = Subscribers.SubscriptionService.CleanName(name is { Length: > 60 } ? name[..60] : name) ?? "admin";
        var lifetime = TimeSpan.FromHours(admin.Value.SessionHours);
        var session = tokens.Create(TokenPurpose.ConsoleSession, who, lifetime, KeyFingerprint());
        context.Response.Cookies.Append(CookieName, session, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = lifetime,
            IsEssential = true,
        });
        return true;
    }

    public static void SignOut(HttpContext context) =>
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps });

    /// <summary>Binds sessions to the key in force, without revealing anything about it.</summary>
    private string KeyFingerprint() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("alerts-console:" + api.Value.AdminKey)))[..32];
}
