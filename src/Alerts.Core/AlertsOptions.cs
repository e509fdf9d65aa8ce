using System.ComponentModel.DataAnnotations;

namespace Alerts.Core;

/// <summary>Top-level settings under <c>Alerts</c>.</summary>
public sealed class AlertsOptions
{
    public const string Section = "Alerts";

    /// <summary>Base of links in emails (confirm, unsubscribe).</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:7071";
}

public sealed class StorageOptions
{
    public const string Section = "Alerts:Storage";
    public const string LocalDefault = "UseDevelopmentStorage=true";

    /// <summary>Table storage connection string; the default is Azurite on this machine.</summary>
    public string ConnectionString { get; set; } = LocalDefault;

    /// <summary>In Azure: the table endpoint, reached with the managed identity instead of a key.</summary>
    public Uri? TableServiceUri { get; set; }

    public bool IsLocalDefault => TableServiceUri is null && string.Equals(ConnectionString.Trim().TrimEnd(';'), LocalDefault, StringComparison.OrdinalIgnoreCase);
}

public sealed class SendGridOptions
{
    public const string Section = "Alerts:SendGrid";

    /// <summary>SendGrid API key; without one, email goes to <see cref="EmailOptions.OutboxDirectory"/> as .eml files.</summary>
    public string? ApiKey { get; set; }

    [Required, Url]
    public string Host { get; set; } = "https://api.sendgrid.com";
}

public sealed class EmailOptions
{
    public const string Section = "Alerts:Email";

    /// <summary>Sender address; required when a SendGrid key is set.</summary>
    [EmailAddress]
    public string? From { get; set; }

    public string FromName { get; set; } = "Alerts";

    [Required]
    public string OutboxDirectory { get; set; } = ".alerts/outbox";
}

public sealed class ScheduleOptions
{
    public const string Section = "Alerts:Schedules";

    /// <summary>Six-field NCrontab expression, as Azure Functions timers use.</summary>
    [Required]
    public string Poll { get; set; } = "0 */15 * * * *";

    [Required]
    public string Digest { get; set; } = "0 0 * * * *";
}

public sealed class FetchOptions
{
    public const string Section = "Alerts:Fetch";

    /// <summary>Allow loopback and private addresses (tests, intranet feeds). Off by default: see the SSRF guard.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Host names allowed to resolve to private addresses (an intranet feed server); every other stays refused.</summary>
    public string[] AllowedPrivateHosts { get; set; } = [];

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    [Range(1, 120)]
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>Largest body accepted, counted after decompression.</summary>
    [Range(1024, 512L * 1024 * 1024)]
    public long MaxBytes { get; set; } = 10L * 1024 * 1024;

    [Range(1, 256)]
    public int Concurrency { get; set; } = 8;

    [Range(1, 64)]
    public int PerHostConcurrency { get; set; } = 2;

    [Required]
    public string UserAgent { get; set; } = "Alerts/1.0 (news alerting; +https://github.com/)";
}

public sealed class SecurityOptions
{
    public const string Section = "Alerts:Security";

    /// <summary>HMAC key for subscriber tokens; generated locally when absent.</summary>
    public string? SigningKey { get; set; }
}

public sealed class ApiOptions
{
    public const string Section = "Alerts:Api";

    /// <summary>Admin key for <c>alerts serve</c>; generated and printed at start when absent.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Requests a minute one client address may make to the anonymous routes.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)]
    public int PublicRequestsPerMinute { get; set; } = 30;

    /// <summary>
    /// Proxies whose X-Forwarded-For is believed (addresses or networks). None by default: locally the
    /// peer is the client. In Azure the Functions host forwards every request from loopback with the
    /// front end's X-Forwarded-For, so the deployment trusts 127.0.0.1 and ::1.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
}
