namespace Alerts.Cli;

/// <summary>Bad usage or bad input that only shows when a command runs (an unknown subscriber, a parse error): one line on stderr, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
