using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Alerts.Core.Email;

/// <summary>Sends through SendGrid's v3 API; success is 202 Accepted and nothing else.</summary>
public sealed class SendGridEmailSender(ISendGridClient client, IOptions<EmailOptions> email, ILogger<SendGridEmailSender> logger) : IEmailSender
{
    public async Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var from = new EmailAddress(email.Value.From, email.Value.FromName);
        var mail = MailHelper.CreateSingleEmail(from, new EmailAddress(message.To, message.ToName), message.Subject, message.Text, message.Html);
        // CreateSingleEmail puts the subject only in the personalization; the v3 schema requires it at the top level too.
        mail.Subject = message.Subject;
        mail.AddCustomArg("digest_id", message.DigestId);
        mail.AddCategory("alerts-digest");
        if (message.Headers.Count > 0)
        {
            mail.AddHeaders(message.Headers.ToDictionary());
        }

        Response response;
        try
        {
            response = await client.SendEmailAsync(mail, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new EmailSendException($"SendGrid unreachable: {ex.Message.ReplaceLineEndings(" ")}");
        }

        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            var body = await response.Body.ReadAsStringAsync(cancellationToken);
            var violations = response.Headers.TryGetValues("sl-violations", out var v) ? " " + string.Join(" ", v) : "";
            var retryAfter = response.Headers.RetryAfter?.Delta;
            throw new EmailSendException($"SendGrid answered {(int)response.StatusCode}: {Shorten(body)}{violations}".Trim(), (int)response.StatusCode, retryAfter);
        }

        var id = response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null;
        logger.LogInformation("Digest {DigestId} accepted by SendGrid for {Recipient} (message id {MessageId})", message.DigestId, message.To, id ?? "none");
        return id ?? "sendgrid";
    }

    private static string Shorten(string s)
    {
        s = s.ReplaceLineEndings(" ");
        return s.Length <= 300 ? s : s[..300] + "…";
    }
}
