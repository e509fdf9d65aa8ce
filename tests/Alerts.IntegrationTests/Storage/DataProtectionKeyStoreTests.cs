using Alerts.Core.Storage;
using Azure.Data.Tables;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.IntegrationTests.Storage;

/// <summary>Forms signed by one instance are accepted by another: the data-protection keys live in storage.</summary>
public sealed class DataProtectionKeyStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Protect_OneInstance_AnotherUnprotectsWithTheStoredKey()
    {
        await azurite.ResetAsync();
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        await using var first = TestServices.Build(settings);
        var secret = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("forms").Protect("antiforgery token");

        await using var second = TestServices.Build(settings);
        var read = second.GetRequiredService<IDataProtectionProvider>().CreateProtector("forms").Unprotect(secret);
        var keys = new TableServiceClient(azurite.ConnectionString).GetTableClient(Tables.DataProtectionKeys).Query<TableEntity>(cancellationToken: TestContext.Current.CancellationToken).ToList();

        Assert.Equal("antiforgery token", read);
        Assert.NotEmpty(keys); // in the shared table, not on one instance's disk
    }
}
