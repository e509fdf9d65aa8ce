using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Alerts.Core.Email;

/// <summary>
/// Sends through SendGrid's v3 API; success is 202 Accepted and nothing else. Retries only what is
/// safe to retry — 429 and 5xx, which SendGrid answers before accepting a message — honouring
/// Retry-After; the client's own retries stay off.
/// </summary>
public sealed class SendGridEmailSender(ISendGridClient client, IOptions<EmailOptions> email, TimeProvider time, ILogger<SendGridEmailSender> logger) : IEmailSender
{
    public const int MaxAttempts = 4;
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    public async Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var mail = Build(message);
        for (var attempt = 1; ; attempt++)
        {
            Response response;
            try
            {
                response = await client.SendEmailAsync(mail, cancellationToken);
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

            var status = (int)response.StatusCode;
            var retryable = status is 429 or >= 500;
            var wait = RetryAfter.Of(response.Headers.RetryAfter, time.GetUtcNow()) ?? TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));
            if (!retryable || attempt == MaxAttempts || wait > MaxWait)
            {
                var body = await response.Body.ReadAsStringAsync(cancellationToken);
                var violations = response.Headers.TryGetValues("sl-violations", out var v) ? " " + string.Join(" ", v) : "";
                throw new EmailSendException($"SendGrid answered {status}: {Shorten(body)}{violations}".Trim(), status, wait);
            }

            logger.LogWarning("SendGrid answered {Status} for {DigestId}; retrying in {WaitSeconds} s", status, message.DigestId, wait.TotalSeconds);
            await Task.Delay(wait, time, cancellationToken);
        }
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
