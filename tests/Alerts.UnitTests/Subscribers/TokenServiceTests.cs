using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Alerts.Core;
using Alerts.Core.Subscribers;
using Microsoft.Extensions.Options;

namespace Alerts.UnitTests.Subscribers;

public sealed class TokenServiceTests
{
    private const string Key = "test-key-0123456789-0123456789-0123";

    private static readonly TokenService Tokens = new(Options.Create(new SecurityOptions { SigningKey = Key }), TimeProvider.System);

    [Fact]
    public void Read_WithNonce_RoundTripsAddressAndRequest()
    {
        var token = Tokens.Create(TokenPurpose.Confirm, "Reader@Example.com", TimeSpan.FromHours(1), "abc123");

        var claims = Tokens.Read(token, TokenPurpose.Confirm);

        Assert.Equal(new TokenClaims("reader@example.com", "abc123"), claims);
        Assert.Null(Tokens.Read(token.Replace(".abc123.", ".abc124.", StringComparison.Ordinal), TokenPurpose.Confirm)); // the nonce is signed
    }

    [Theory]
    [InlineData(long.MaxValue)]           // past year 9999
    [InlineData(253402300800L)]           // 10000-01-01
    public void Read_SignedExpiryBeyondYear9999_ValidNotAnException(long expires)
    {
        var payload = $"0.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes("far@example.com"))}.{expires}";
        var token = payload + "." + Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.UTF8.GetBytes(payload)));

        Assert.Equal("far@example.com", Tokens.Validate(token, TokenPurpose.Confirm));
    }

    [Theory]
    [InlineData("0.eA.99999999999999999999999.sig")] // expiry overflows a long
    [InlineData("0.eA.-5.sig")]
    [InlineData("0.eA.5.n.o.sig")]
    public void Read_MalformedExpiryOrParts_Null(string token) =>
        Assert.Null(Tokens.Read(token, TokenPurpose.Confirm));
}
