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

    /// <summary>Table and queue storage connection string; the default is Azurite on this machine.</summary>
    public string ConnectionString { get; set; } = LocalDefault;

    /// <summary>In Azure: the table endpoint, reached with the managed identity instead of a key.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>In Azure: the queue endpoint (the poll fan-out), reached with the managed identity like the tables.</summary>
    public Uri? QueueServiceUri { get; set; }

    public bool IsLocalDefault => TableServiceUri is null && QueueServiceUri is null && string.Equals(ConnectionString.Trim().TrimEnd(';'), LocalDefault, StringComparison.OrdinalIgnoreCase);
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

    /// <summary>When old rows are pruned (see <see cref="RetentionOptions"/>): daily at 03:30 UTC.</summary>
    [Required]
    public string Prune { get; set; } = "0 30 3 * * *";
}

/// <summary>How the poll timer's work is done.</summary>
public enum PollMode
{
    /// <summary>In-process while the due feeds fit one queue batch; through the queue beyond that.</summary>
    Auto,

    /// <summary>The timer polls every due feed itself (one instance).</summary>
    InProcess,

    /// <summary>The timer enqueues one message per due feed; queue consumers (Functions instances, <c>alerts worker</c>) poll them.</summary>
    Queue,
}

/// <summary>
/// The poll fan-out over the <c>poll-feeds</c> queue. The first five mirror <c>host.json</c>'s
/// <c>extensions.queues</c> (a test keeps them equal), so <c>alerts serve</c> and <c>alerts worker</c>
/// consume the queue as a Functions instance does.
/// </summary>
public sealed class QueueOptions
{
    public const string Section = "Alerts:Queue";

    public PollMode Mode { get; set; } = PollMode.Auto;

    /// <summary>Messages fetched at once by one consumer (host.json <c>batchSize</c>, at most 32).</summary>
    [Range(1, 32)]
    public int BatchSize { get; set; } = 16;

    /// <summary>A new batch is fetched when fewer than this many messages are still being processed (host.json <c>newBatchThreshold</c>).</summary>
    [Range(0, 1000)]
    public int NewBatchThreshold { get; set; } = 8;

    /// <summary>Deliveries before a message goes to <c>poll-feeds-poison</c> (host.json <c>maxDequeueCount</c>).</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a failed message waits before its next delivery (host.json <c>visibilityTimeout</c>).</summary>
    [Range(0, 3600)]
    public int VisibilityTimeoutSeconds { get; set; } = 30;

    /// <summary>Longest wait between looks at an empty queue (host.json <c>maxPollingInterval</c>).</summary>
    [Range(1, 60)]
    public int MaxPollingIntervalSeconds { get; set; } = 2;

    /// <summary>
    /// Local consumers only: how long a received message stays invisible, renewed while it is processed.
    /// A consumer that dies leaves it to come back after this (the Functions host uses 10 minutes, renewed).
    /// </summary>
    [Range(1, 600)]
    public int MessageLeaseSeconds { get; set; } = 60;

    /// <summary>How long a consumer owns a feed it started polling; a dead consumer's claim lapses after this.</summary>
    [Range(1, 3600)]
    public int FeedClaimSeconds { get; set; } = 120;
}

/// <summary>How long rows are kept; older ones are pruned on <see cref="ScheduleOptions.Prune"/>.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Alerts:Retention";

    /// <summary>Keys of items already processed; an item older than this that is still in its feed is processed again (and stored nothing new: matches are idempotent).</summary>
    [Range(1, 3650)]
    public int SeenItemsDays { get; set; } = 90;

    /// <summary>Item text kept for dry-running watchlist drafts.</summary>
    [Range(1, 3650)]
    public int RecentItemsDays { get; set; } = 30;

    /// <summary>Records of digests sent; failed and unconfirmed ones are kept for admins whatever their age.</summary>
    [Range(1, 3650)]
    public int DigestsDays { get; set; } = 180;

    /// <summary>Watchlist change history.</summary>
    [Range(1, 3650)]
    public int AuditDays { get; set; } = 365;

    /// <summary>Most rows one pruning run deletes per table (bounded work per run; the next run goes on).</summary>
    [Range(100, 1_000_000)]
    public int MaxRowsPerRun { get; set; } = 20_000;
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
