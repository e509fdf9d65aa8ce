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
}

/// <summary>
/// Signed, expiring tokens for links in emails: <c>purpose.email.expiry.signature</c>, base64url, HMAC-SHA256.
/// The key comes from <c>Alerts:Security:SigningKey</c>; locally, when none is set, one is generated once
/// and kept in <c>.alerts/signing-key</c> so links keep working across restarts.
/// </summary>
public sealed class TokenService(IOptions<SecurityOptions> options, TimeProvider time)
{
    public static readonly TimeSpan ConfirmLifetime = TimeSpan.FromDays(2);
    public static readonly TimeSpan UnsubscribeLifetime = TimeSpan.FromDays(400);

    private readonly Lazy<byte[]> _key = new(() => LoadKey(options.Value.SigningKey));

    public string Create(TokenPurpose purpose, string email, TimeSpan lifetime)
    {
        var expires = (time.GetUtcNow() + lifetime).ToUnixTimeSeconds();
        var payload = $"{(int)purpose}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant()))}.{expires}";
        return payload + "." + Base64Url.EncodeToString(Sign(payload));
    }

    /// <summary>The email address a valid, unexpired token of this purpose was made for; null otherwise.</summary>
    public string? Validate(string? token, TokenPurpose purpose)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1024)
        {
            return null;
        }

        var parts = token.Split('.');
        if (parts.Length != 4 || parts[0] != ((int)purpose).ToString() || !long.TryParse(parts[2], out var expires))
        {
            return null;
        }

        var payload = string.Join('.', parts[..3]);
        byte[] signature, email;
        try
        {
            signature = Base64Url.DecodeFromChars(parts[3]);
            email = Base64Url.DecodeFromChars(parts[1]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(payload)) || DateTimeOffset.FromUnixTimeSeconds(expires) < time.GetUtcNow())
        {
            return null;
        }

        return Encoding.UTF8.GetString(email);
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
