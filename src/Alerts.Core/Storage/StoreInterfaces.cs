namespace Alerts.Core.Storage;

// The stores the exactly-once digest logic depends on, behind small interfaces: Table Storage in the
// service (and in the Azurite tests that prove it), in-memory twins in the unit tests that exercise
// every interleaving quickly.

/// <summary>Subscribers, as the digest logic reads and advances them.</summary>
public interface ISubscriberStore
{
    Task<List<SubscriberEntity>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Saves only the version that was read; false when another run changed it meanwhile.</summary>
    Task<bool> TrySaveAsync(SubscriberEntity subscriber, CancellationToken cancellationToken);
}

/// <summary>Stored matches, as the digest logic reads them.</summary>
public interface IMatchStore
{
    /// <summary>
    /// The oldest matches of one watchlist stored after <paramref name="matchedAfter"/> (null: from the
    /// first) and at or before <paramref name="matchedUpTo"/>, oldest first: <paramref name="take"/> of
    /// them when there are that many, plus every further match stored at the same instant as the last.
    /// </summary>
    Task<List<MatchEntity>> ListOldestAsync(string watchlist, DateTimeOffset? matchedAfter, DateTimeOffset matchedUpTo, int take, CancellationToken cancellationToken);
}

/// <summary>The record of every digest: claimed, sent, failed or unconfirmed.</summary>
public interface IDigestStore
{
    Task<DigestEntity?> GetAsync(string subscriberKey, string digestId, CancellationToken cancellationToken);

    /// <summary>Records a new digest; false when another run recorded it first.</summary>
    Task<bool> TryAddAsync(DigestEntity digest, CancellationToken cancellationToken);

    /// <summary>Saves only if nobody changed the record since it was read; false when someone did.</summary>
    Task<bool> TryUpdateAsync(DigestEntity digest, CancellationToken cancellationToken);

    /// <summary>Digests in a state an admin should look at (failed, unconfirmed), newest first.</summary>
    Task<List<DigestEntity>> ListTroubleAsync(CancellationToken cancellationToken);
}
