using Alerts.Local;

namespace Alerts.IntegrationTests;

internal static class Paths
{
    public static string RepositoryRoot { get; } = LocalTools.FindRepositoryRoot();

    /// <summary>The project's shared folder (seeds, corpus, SendGrid spec), which sits beside the repository.</summary>
    public static string Shared { get; } = Directory.Exists(Path.Combine(RepositoryRoot, "..", "shared"))
        ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"))
        : throw new DirectoryNotFoundException($"the shared folder (seeds, corpus, specs) is expected beside the repository at {Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"))}");

    /// <summary>The functions.metadata the Functions SDK generated when the solution was built in this configuration.</summary>
    public static string FunctionsMetadata
    {
        get
        {
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            return Path.Combine(RepositoryRoot, "src", "Alerts.Functions", "bin", configuration, "net10.0", "functions.metadata");
        }
    }
}
