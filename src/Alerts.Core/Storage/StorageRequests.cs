using Azure.Core;
using Azure.Core.Pipeline;

namespace Alerts.Core.Storage;

/// <summary>
/// Storage requests this process made, by service: each is one billed storage transaction (a batch of
/// up to 100 table operations is one). Read by the <c>alerts.storage.requests</c> metric and by
/// <c>Alerts:Diagnostics:ReportResources</c>; the scale benchmark divides them by feeds polled.
/// </summary>
public static class StorageRequests
{
    private static long _tables;
    private static long _queues;

    public static long Tables => Interlocked.Read(ref _tables);

    public static long Queues => Interlocked.Read(ref _queues);

    internal static HttpPipelinePolicy CountingTables { get; } = new Counting(isQueue: false);

    internal static HttpPipelinePolicy CountingQueues { get; } = new Counting(isQueue: true);

    /// <summary>Counts each request once, however often the client retries it (retries are not billed more than once per attempt either, but they are rare).</summary>
    private sealed class Counting(bool isQueue) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            if (isQueue)
            {
                Interlocked.Increment(ref _queues);
            }
            else
            {
                Interlocked.Increment(ref _tables);
            }
        }
    }
}
