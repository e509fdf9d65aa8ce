using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Subscribers;

/// <summary>What a token lets its bearer do.</summary>
public enum TokenPurpose
{
    Confirm,
    Unsubscribe,

    /// <summary>The subscriber's own preferences page (<c>/manage</c>), linked from every digest.</summary>
    Manage,

    /// <summary>A console session after signing in with the admin key; the subject is the admin's name.</summary>
    ConsoleSession,
}

/// <summary>
/// Signed, expiring tokens for links in emails: <c>purpose.email.expiry.signature</c>, base64url, HMAC-SHA256;
/// a token that confirms one particular request also carries that request's id (<c>purpose.email.expiry.nonce.signature</c>),
/// so a later request makes an earlier link stale.
/// The key comes from <c>Alerts:Security:SigningKey</c>; locally, when none is set, one is generated once
/// and kept in <c>.alerts/signing-key</c> so links keep working across restarts.
/// </summary>
/// <summary>What a valid token says: the address, and the request it confirms (when it names one).</summary>
public sealed record TokenClaims(string Email, string? Nonce);

public sealed class TokenService(IOptions<SecurityOptions> options, TimeProvider time)
{
    public static readonly TimeSpan ConfirmLifetime = TimeSpan.FromDays(2);
    public static readonly TimeSpan UnsubscribeLifetime = TimeSpan.FromDays(400);

    /// <summary>As long as an unsubscribe link: both sit in every digest and act for the owner of the mailbox.</summary>
    public static readonly TimeSpan ManageLifetime = UnsubscribeLifetime;

    private readonly Lazy<byte[]> _key = new(() => LoadKey(options.Value.SigningKey));

    /// <param name="nonce">Binds the token to one request (letters and digits); null for a token about the address alone.</param>
    public string Create(TokenPurpose purpose, string email, TimeSpan lifetime, string? nonce = null)
    {
        if (nonce is not null && (nonce.Length is 0 or > 64 || !nonce.All(char.IsAsciiLetterOrDigit)))
        {
            throw new ArgumentException("a nonce is 1-64 letters or digits", nameof(nonce));
        }

        var expires = (time.GetUtcNow() + lifetime).ToUnixTimeSeconds();
        var payload = $"{(int)purpose}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant()))}.{expires}";
        if (nonce is not null)
        {
            payload += "." + nonce;
        }

        return payload + "." + Base64Url.EncodeToString(Sign(payload));
    }

    /// <summary>The email address a valid, unexpired token of this purpose was made for; null otherwise.</summary>
    public string? Validate(string? token, TokenPurpose purpose) => Read(token, purpose)?.Email;

    /// <summary>The address and request id of a valid, unexpired token of this purpose; null otherwise.</summary>
    public TokenClaims? Read(string? token, TokenPurpose purpose)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1024)
        {
            return null;
        }

        var parts = token.Split('.');
        if (parts.Length is not (4 or 5) || parts[0] != ((int)purpose).ToString(System.Globalization.CultureInfo.InvariantCulture)
            || !long.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        var payload = string.Join('.', parts[..^1]);
        byte[] signature, email;
        try
        {
            signature = Base64Url.DecodeFromChars(parts[^1]);
            email = Base64Url.DecodeFromChars(parts[1]);
        }
        catch (FormatException)
        {
            return null;
        }

        // Expiry is compared as a number: a date past year 9999 is only "not expired", never an exception.
        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(payload)) || expires < time.GetUtcNow().ToUnixTimeSeconds())
        {
            return null;
        }

        return new TokenClaims(Encoding.UTF8.GetString(email), parts.Length == 5 ? parts[3] : null);
    }

    private byte[] Sign(string payload) => HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes(payload));

    private static byte[] LoadKey(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Encoding.UTF8.GetBytes(configured);
        }

        var path = Path.GetFullPath(Path.Combine(".alerts", "signing-key"));
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var generated = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            try
            {
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                file.Write(Encoding.UTF8.GetBytes(generated));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }

        return Encoding.UTF8.GetBytes(File.ReadAllText(path).Trim());
    }
}
