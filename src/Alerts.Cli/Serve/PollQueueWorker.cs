using Alerts.Core;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Cli.Serve;

/// <summary>
/// The local stand-in for the Functions <c>PollFeed</c> queue trigger, with the settings of host.json
/// (<see cref="QueueOptions"/>): fetches up to <c>BatchSize</c> messages, fetches again when fewer than
/// <c>NewBatchThreshold</c> are in flight, backs off up to <c>MaxPollingInterval</c> on an empty queue,
/// retries a failed message after <c>VisibilityTimeout</c> and moves it to <c>poll-feeds-poison</c> after
/// <c>MaxDequeueCount</c> deliveries. A message stays invisible while it is processed (renewed); if this
/// process dies, it comes back after <c>MessageLeaseSeconds</c> and another consumer takes it.
/// </summary>
internal sealed class PollQueueWorker(
    QueueStorage queues,
    PollFeedConsumer consumer,
    IOptions<QueueOptions> options,
    ILogger<PollQueueWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var inFlight = new List<Task>();
        var idle = TimeSpan.FromMilliseconds(100);
        QueueClient? queue = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                queue ??= await queues.GetAsync(QueueNames.PollFeeds, stoppingToken);
                inFlight.RemoveAll(t => t.IsCompleted);
                if (inFlight.Count > settings.NewBatchThreshold)
                {
                    await Task.WhenAny(inFlight).WaitAsync(stoppingToken);
                    continue;
                }

                QueueMessage[] batch = (await queue.ReceiveMessagesAsync(settings.BatchSize, Lease, stoppingToken)).Value;
                if (batch.Length == 0)
                {
                    // An empty queue is looked at less and less often, up to the maximum polling interval.
                    await Task.Delay(idle, stoppingToken);
                    idle = TimeSpan.FromMilliseconds(Math.Min(idle.TotalMilliseconds * 2, settings.MaxPollingIntervalSeconds * 1000));
                    continue;
                }

                idle = TimeSpan.FromMilliseconds(100);
                inFlight.AddRange(batch.Select(m => ProcessAsync(queue, m, stoppingToken)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (StorageUnavailableException ex)
            {
                logger.LogError("Poll queue unreachable: {Error}; trying again", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(settings.MaxPollingIntervalSeconds), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        // Messages in flight finish their current step or are abandoned; abandoned ones come back after their lease.
        await Task.WhenAll(inFlight).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.MessageLeaseSeconds);

    private async Task ProcessAsync(QueueClient queue, QueueMessage message, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var settings = options.Value;
        var receipt = message.PopReceipt;
        var parsed = PollFeedMessage.Parse(message.Body.ToString());
        try
        {
            if (parsed is null || message.DequeueCount > settings.MaxDequeueCount)
            {
                await PoisonAsync(queue, message, receipt, stoppingToken);
                return;
            }

            using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var renewal = RenewAsync(queue, message, r => receipt = r, renewing.Token);
            QueuedPollOutcome outcome;
            try
            {
                outcome = await consumer.HandleAsync(parsed, stoppingToken);
            }
            finally
            {
                await renewing.CancelAsync();
                await renewal;
            }

            await queue.DeleteMessageAsync(message.MessageId, receipt, stoppingToken);
            logger.LogDebug("Poll message for {FeedUrl}: {Status}", parsed.FeedUrl, outcome.Status);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the message comes back after its lease and another consumer (or the next start) takes it.
        }
        catch (Exception ex)
        {
            logger.LogWarning("Poll message for {FeedUrl} failed (delivery {DequeueCount} of {MaxDequeueCount}): {Error}", parsed?.FeedUrl, message.DequeueCount, settings.MaxDequeueCount, ex.Message);
            try
            {
                if (message.DequeueCount >= settings.MaxDequeueCount)
                {
                    await PoisonAsync(queue, message, receipt, stoppingToken);
                }
                else
                {
                    await queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: TimeSpan.FromSeconds(settings.VisibilityTimeoutSeconds), cancellationToken: stoppingToken);
                }
            }
            catch (Exception inner) when (inner is RequestFailedException or StorageUnavailableException or OperationCanceledException)
            {
                // The message comes back after its lease anyway.
            }
        }
    }

    /// <summary>Keeps the message invisible while it is processed, as the Functions host does.</summary>
    private async Task RenewAsync(QueueClient queue, QueueMessage message, Action<string> newReceipt, CancellationToken cancellationToken)
    {
        var receipt = message.PopReceipt;
        try
        {
            while (true)
            {
                await Task.Delay(Lease / 2, cancellationToken);
                var updated = await queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: Lease, cancellationToken: cancellationToken);
                receipt = updated.Value.PopReceipt;
                newReceipt(receipt);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is RequestFailedException or StorageUnavailableException)
        {
            logger.LogWarning("Could not renew the poll message {MessageId}: {Error}", message.MessageId, ex.Message);
        }
    }

    /// <summary>Copied to the poison queue first, deleted after: a crash in between leaves a copy in both, never in neither.</summary>
    private async Task PoisonAsync(QueueClient queue, QueueMessage message, string receipt, CancellationToken cancellationToken)
    {
        var poison = await queues.GetAsync(QueueNames.PollFeedsPoison, cancellationToken);
        await poison.SendMessageAsync(message.Body.ToString(), cancellationToken);
        await queue.DeleteMessageAsync(message.MessageId, receipt, cancellationToken);
        logger.LogWarning("Poll message {MessageId} moved to {PoisonQueue} after {DequeueCount} deliveries", message.MessageId, QueueNames.PollFeedsPoison, message.DequeueCount);
    }
}
