using Alerts.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C: stop cleanly (a poll in progress finishes its current feed writes). Second: default.
    if (!cancel.IsCancellationRequested)
    {
        e.Cancel = true;
        cancel.Cancel();
    }
};

return await AlertsCli.RunAsync(args, Console.Out, Console.Error, cancel.Token);
