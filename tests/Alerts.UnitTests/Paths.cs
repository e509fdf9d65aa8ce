namespace Alerts.UnitTests;

/// <summary>Where the repository and the shared folder beside it are.</summary>
internal static class Paths
{
    public static string RepositoryRoot { get; } = Alerts.Core.Local.LocalTools.FindRepositoryRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    public static string Seeds => Path.Combine(Shared, "seeds");
}
