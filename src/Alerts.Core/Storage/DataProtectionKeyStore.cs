using System.Xml.Linq;
using Azure.Data.Tables;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Alerts.Core.Storage;

/// <summary>
/// ASP.NET Core data-protection keys (they sign the forms' antiforgery tokens) in Table Storage, so
/// every Functions instance and every <c>alerts serve</c> restart reads the same keys: a form served by
/// one instance is accepted by another. The default (a folder on the instance's disk) is lost whenever
/// Flex Consumption moves the app. The keys sit in the app's own storage account, which only the app's
/// identity can read.
/// </summary>
public sealed class DataProtectionKeyStore(TableServiceClient service) : IXmlRepository
{
    private const string Partition = "key";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var table = Table();
        return [.. table.Query<TableEntity>(e => e.PartitionKey == Partition).Select(e => XElement.Parse(e.GetString("Xml") ?? "<none/>"))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        var row = new TableEntity(Partition, Feeds.Keys.Hex(friendlyName)) { ["Xml"] = element.ToString(SaveOptions.DisableFormatting), ["Name"] = friendlyName };
        Table().UpsertEntity(row, TableUpdateMode.Replace);
    }

    // The data-protection system calls these synchronously; the table is created on first use.
    private TableClient Table()
    {
        var table = service.GetTableClient(Tables.DataProtectionKeys);
        table.CreateIfNotExists();
        return table;
    }
}
