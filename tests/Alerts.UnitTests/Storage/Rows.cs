using System.Collections.Concurrent;
using Azure;

namespace Alerts.UnitTests.Storage;

/// <summary>Copy-in, copy-out rows with optimistic concurrency.</summary>
internal static class Rows
{
    private static readonly Lock Gate = new();

    public static ETag NewETag() => new($"\"{Guid.NewGuid():N}\"");

    public static T Copy<T>(T row, ETag etag)
        where T : class, Azure.Data.Tables.ITableEntity, new()
    {
        var copy = new T();
        foreach (var property in typeof(T).GetProperties().Where(p => p.CanRead && p.CanWrite))
        {
            property.SetValue(copy, property.GetValue(row));
        }

        copy.ETag = etag;
        return copy;
    }

    /// <summary>Replaces the stored row only if the caller's ETag is the stored one; the caller's row then carries the new ETag.</summary>
    public static bool TryReplace<T>(ConcurrentDictionary<string, T> rows, string key, T row)
        where T : class, Azure.Data.Tables.ITableEntity, new()
    {
        lock (Gate)
        {
            if (!rows.TryGetValue(key, out var stored) || stored.ETag != row.ETag)
            {
                return false;
            }

            row.ETag = NewETag();
            rows[key] = Copy(row, row.ETag);
            return true;
        }
    }
}
