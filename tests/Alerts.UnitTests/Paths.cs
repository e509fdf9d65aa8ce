namespace Alerts.UnitTests;

/// <summary>Where the repository and the shared folder beside it are.</summary>
internal static class Paths
{
    public static string RepositoryRoot { get; } = Alerts.Local.LocalTools.FindRepositoryRoot();

    /// <summary>The project's shared folder (seeds, corpus, SendGrid spec), which sits beside the repository.</summary>
    public static string Shared { get; } = Directory.Exists(Path.Combine(RepositoryRoot, "..", "shared"))
        ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"))
        : throw new DirectoryNotFoundException($"the shared folder (seeds, corpus, specs) is expected beside the repository at {Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"))}");

    public static string Seeds => Path.Combine(Shared, "seeds");
}
