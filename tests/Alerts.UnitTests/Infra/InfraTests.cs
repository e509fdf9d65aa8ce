using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Alerts.UnitTests.Infra;

/// <summary>infra/ builds and lints clean with the bicep binary from NuGet, and configures what the app needs.</summary>
public sealed class InfraTests
{
    private static readonly string Infra = Path.Combine(Paths.RepositoryRoot, "infra");

    [Fact]
    public async Task BicepLint_Infra_NoWarnings()
    {
        foreach (var file in Directory.GetFiles(Infra, "*.bicep", SearchOption.AllDirectories))
        {
            var (code, output) = await BicepAsync("lint", file);

            Assert.True(code == 0 && !output.Contains("Warning", StringComparison.Ordinal) && !output.Contains("Error", StringComparison.Ordinal), $"{file}:\n{output}");
        }
    }

    [Fact]
    public async Task BicepBuild_Main_ConfiguresEveryAzureSettingWithoutKeys()
    {
        var (code, output) = await BicepAsync("build", Path.Combine(Infra, "main.bicep"), "--stdout");
        Assert.True(code == 0, output);
        var json = output[output.IndexOf('{', StringComparison.Ordinal)..];

        using var template = JsonDocument.Parse(json);
        var text = template.RootElement.GetRawText();
        foreach (var setting in new[]
                 {
                     "Alerts__Storage__TableServiceUri", "Alerts__Storage__QueueServiceUri", "Alerts__SendGrid__ApiKey", "Alerts__SendGrid__Host", "Alerts__Email__From",
                     "Alerts__Email__OutboxDirectory", "Alerts__Schedules__Poll", "Alerts__Schedules__Digest", "Alerts__Schedules__Prune", "Alerts__Queue__Mode", "Alerts__Fetch__AllowPrivateNetworks",
                     "Alerts__Fetch__TimeoutSeconds", "Alerts__Fetch__MaxBytes", "Alerts__Fetch__Concurrency", "Alerts__PublicBaseUrl",
                     "Alerts__Security__SigningKey", "AzureWebJobsStorage__accountName", "AZURE_CLIENT_ID",
                 })
        {
            Assert.Contains($"\"{setting}\"", text);
        }

        Assert.Contains("\"FlexConsumption\"", text);
        Assert.Matches("\"allowSharedKeyAccess\":\\s*false", text);
        Assert.Contains("@Microsoft.KeyVault(SecretUri=", text);
        Assert.DoesNotContain("listKeys", text);
        Assert.DoesNotContain("AccountKey=", text);
        Assert.DoesNotContain("br/public:", File.ReadAllText(Path.Combine(Infra, "main.bicep")));
    }

    /// <summary>Settings that have no place in Azure, each for a reason.</summary>
    private static readonly Dictionary<string, string> LocalOnly = new(StringComparer.Ordinal)
    {
        ["Alerts:Storage:ConnectionString"] = "Azure uses TableServiceUri with the managed identity",
        ["Alerts:Fetch:AllowedPrivateHosts"] = "intranet hosts: none in a cloud deployment",
        ["Alerts:Api:AdminKey"] = "alerts serve only; Functions use function keys and Entra ID",
        ["Alerts:Queue:BatchSize"] = "the Functions host reads the queue settings from host.json (a test keeps the two equal)",
        ["Alerts:Queue:MessageLeaseSeconds"] = "local consumers only; the Functions host leases messages itself",
        ["Alerts:Diagnostics:ReportResources"] = "the scale run's resource line on a local process's stderr",
    };

    [Fact]
    public async Task BicepBuild_EveryReadmeSetting_HasAnAppSettingOrSaysWhyNot()
    {
        var readme = File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "README.md"));
        var table = readme[readme.IndexOf("## Configuration", StringComparison.Ordinal)..readme.IndexOf("## Command line", StringComparison.Ordinal)];
        var keys = System.Text.RegularExpressions.Regex.Matches(table, @"`(Alerts:[A-Za-z:]+?)(?::0)?`")
            .Select(m => m.Groups[1].Value)
            .Distinct()
            .ToList();
        var (code, output) = await BicepAsync("build", Path.Combine(Infra, "main.bicep"), "--stdout");
        Assert.True(code == 0, output);

        var missing = keys.Where(k => !LocalOnly.ContainsKey(k) && !output.Contains($"\"{k.Replace(":", "__", StringComparison.Ordinal)}", StringComparison.Ordinal)).ToList();

        Assert.True(keys.Count > 15, $"found only {keys.Count} settings in the README");
        Assert.Empty(missing);
    }

    [Fact]
    public void AzureYaml_PointsAtFunctionsAndInfra()
    {
        var yaml = File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "azure.yaml"));

        Assert.Contains("project: ./src/Alerts.Functions", yaml);
        Assert.Contains("host: function", yaml);
        Assert.Contains("path: infra", yaml);
    }

    private static async Task<(int Code, string Output)> BicepAsync(params string[] args)
    {
        var bicep = typeof(InfraTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!.Replace('\\', '/');
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }

        var info = new ProcessStartInfo(bicep) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        // Offline: no registry restore, no telemetry.
        info.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
