namespace Alerts.Cli;

/// <summary>Bad usage or bad input: one line on stderr, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
