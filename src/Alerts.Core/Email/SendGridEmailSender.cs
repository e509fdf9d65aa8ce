using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Alerts.Core.Email;

/// <summary>
/// Sends through SendGrid's v3 API; success is 202 Accepted and nothing else. Retries happen below,
/// in the HttpClient's resilience handler (<see cref="RetryOptions"/>); the SendGrid client's own
/// retries stay off.
/// </summary>
public sealed class SendGridEmailSender(ISendGridClient client, IOptions<EmailOptions> email, ILogger<SendGridEmailSender> logger) : IEmailSender
{
    public const string HttpClientName = "sendgrid";

    /// <summary>Tries per message: the first and three retries.</summary>
    public const int MaxAttempts = 4;

    /// <summary>A Retry-After longer than this is not waited for in the run: the digest fails and the next run sends it.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The retries of the "sendgrid" HttpClient (Microsoft.Extensions.Http.Resilience): only 429 and 5xx,
    /// which SendGrid answers before accepting a message, waiting Retry-After (or 1, 2, 4 s). A connection
    /// that breaks after the request went out is not retried here: the message may have been accepted,
    /// and exactly-once is the digest service's job.
    /// </summary>
    public static HttpRetryStrategyOptions RetryOptions(TimeProvider time) => new()
    {
        MaxRetryAttempts = MaxAttempts - 1,
        Delay = TimeSpan.FromSeconds(1),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = false,
        ShouldRetryAfterHeader = true,
        MaxDelay = MaxWait,
        ShouldHandle = args => ValueTask.FromResult(
            args.Outcome.Result is { } response
            && (int)response.StatusCode is 429 or >= 500
            && (RetryAfter.Of(response.Headers.RetryAfter, time.GetUtcNow()) ?? TimeSpan.Zero) <= MaxWait),
    };

    public async Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        Response response;
        try
        {
            response = await client.SendEmailAsync(Build(message), cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new EmailSendException($"SendGrid unreachable: {ex.Message.ReplaceLineEndings(" ")}");
        }

        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            var id = response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null;
            logger.LogInformation("Message {DigestId} accepted by SendGrid for {Recipient} (message id {MessageId})", message.DigestId, message.To, id ?? "none");
            return id ?? "sendgrid";
        }

        var body = await response.Body.ReadAsStringAsync(cancellationToken);
        var violations = response.Headers.TryGetValues("sl-violations", out var v) ? " " + string.Join(" ", v) : "";
        throw new EmailSendException($"SendGrid answered {(int)response.StatusCode}: {Shorten(body)}{violations}".Trim());
    }

    /// <summary>Asks the Email Activity API for a message carrying this digest id; Unknown when it cannot tell.</summary>
    public async Task<Delivery> WasSentAsync(string recipient, string digestId, CancellationToken cancellationToken)
    {
        try
        {
            var query = $"unique_args['digest_id']=\"{digestId}\" AND to_email=\"{recipient}\"";
            var response = await client.RequestAsync(BaseClient.Method.GET, urlPath: "messages", queryParams: $"{{\"query\":\"{query.Replace("\"", "\\\"", StringComparison.Ordinal)}\",\"limit\":1}}", cancellationToken: cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var body = await response.Body.ReadAsStringAsync(cancellationToken);
                return body.Contains("\"msg_id\"", StringComparison.Ordinal) ? Delivery.Sent : Delivery.Unknown;
            }
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning("Email Activity lookup for {DigestId} failed: {Error}", digestId, ex.Message);
        }

        // No activity history (not enabled, or not yet indexed): cannot tell.
        return Delivery.Unknown;
    }

    private SendGridMessage Build(EmailMessage message)
    {
        var from = new EmailAddress(email.Value.From, email.Value.FromName);
        var mail = MailHelper.CreateSingleEmail(from, new EmailAddress(message.To, message.ToName), message.Subject, message.Text, message.Html);
        // CreateSingleEmail puts the subject only in the personalization; the v3 schema requires it at the top level too.
        mail.Subject = message.Subject;
        mail.AddCustomArg("digest_id", message.DigestId);
        mail.AddCategory(message.DigestId.StartsWith("confirm-", StringComparison.Ordinal) ? "alerts-confirm" : "alerts-digest");
        if (message.Headers.Count > 0)
        {
            mail.AddHeaders(message.Headers.ToDictionary());
        }

        return mail;
    }

    private static string Shorten(string s)
    {
        s = s.ReplaceLineEndings(" ");
        return s.Length <= 300 ? s : s[..300] + "…";
    }
}
