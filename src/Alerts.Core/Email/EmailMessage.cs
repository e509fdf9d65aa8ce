namespace Alerts.Core.Email;

/// <summary>An email ready to send: both an HTML and a plain-text body.</summary>
public sealed record EmailMessage(
    string To,
    string? ToName,
    string Subject,
    string Html,
    string Text,
    string DigestId,
    IReadOnlyDictionary<string, string> Headers);

/// <summary>The provider refused or could not take the message; the message is one line.</summary>
public sealed class EmailSendException(string message) : Exception(message);

/// <summary>What a sender knows about a message sent earlier.</summary>
public enum Delivery
{
    Sent,
    NotSent,
    Unknown,
}

/// <summary>Sends one email; throws <see cref="EmailSendException"/> when it was not accepted.</summary>
public interface IEmailSender
{
    /// <returns>Where the message went, for the log: a provider message id or a file path.</returns>
    Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken);

    /// <summary>After a crash mid-send: did the message with this digest id reach the provider?</summary>
    Task<Delivery> WasSentAsync(string recipient, string digestId, CancellationToken cancellationToken);
}
