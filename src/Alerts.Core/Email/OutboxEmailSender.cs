using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Alerts.Core.Email;

/// <summary>The local default without an API key: each message becomes an .eml file in the outbox folder.</summary>
public sealed class OutboxEmailSender(IOptions<EmailOptions> options, ILogger<OutboxEmailSender> logger) : IEmailSender
{
    public const string DefaultFrom = "alerts@localhost";

    public async Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(settings.FromName, settings.From ?? DefaultFrom));
        mime.To.Add(new MailboxAddress(message.ToName ?? "", message.To));
        mime.Subject = message.Subject;
        mime.Headers.Add("X-Alerts-Digest-Id", message.DigestId);
        foreach (var (name, value) in message.Headers)
        {
            mime.Headers.Add(name, value);
        }

        mime.Body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html }.ToMessageBody();

        Directory.CreateDirectory(Path.GetFullPath(settings.OutboxDirectory));
        // The digest id makes the name unique and a re-send of the same digest overwrite, not duplicate.
        var path = PathOf(message.To, message.DigestId);
        var temp = path + ".tmp";
        await mime.WriteToAsync(temp, cancellationToken);
        File.Move(temp, path, overwrite: true);
        logger.LogInformation("Digest {DigestId} for {Recipient} written to {EmlPath}", message.DigestId, message.To, path);
        return path;
    }

    public Task<Delivery> WasSentAsync(string recipient, string digestId, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(PathOf(recipient, digestId)) ? Delivery.Sent : Delivery.NotSent);

    private string PathOf(string to, string digestId) =>
        Path.Combine(Path.GetFullPath(options.Value.OutboxDirectory), $"{SafeName(to)}-{digestId}.eml");

    private static string SafeName(string email) =>
        new([.. email.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_')]);
}
