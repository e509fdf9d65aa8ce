using System.Collections.Concurrent;

namespace Alerts.Core.Storage;

/// <summary>
/// Creates each named table or queue once per process and hands out the same client afterwards; a
/// creation that failed (storage unreachable) is tried again on the next call instead of being remembered.
/// </summary>
internal sealed class CreatedOnce<TClient>(Func<string, CancellationToken, Task<TClient>> create)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TClient>>> _clients = new();

    public async Task<TClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        var lazy = _clients.GetOrAdd(name, n => new Lazy<Task<TClient>>(() => create(n, cancellationToken)));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            _clients.TryRemove(name, out _); // let the next call try again
            throw;
        }
    }
}
