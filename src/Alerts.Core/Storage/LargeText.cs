using System.IO.Compression;
using System.Text;
using Azure.Data.Tables;

namespace Alerts.Core.Storage;

/// <summary>A text too large to store even compressed in one table row; the message says the limit.</summary>
public sealed class StoredTextTooLargeException(string message) : Exception(message);

/// <summary>
/// Text of any length in a table row. A string property holds at most 32K characters (64 KiB of UTF-16),
/// which a watchlist of a few thousand aliases already exceeds; longer text is stored gzip-compressed
/// in binary properties of 64 KiB each (<c>JsonGz0</c>, <c>JsonGz1</c>, … and <c>JsonGzParts</c>),
/// within the 1 MiB a row may hold. Short text stays a plain, readable string property.
/// </summary>
internal static class LargeText
{
    private const int MaxPlainChars = 30_000;
    private const int PartBytes = 64 * 1024;

    /// <summary>Parts a row may spend on one text: the rest of the row's 1 MiB stays for its other properties.</summary>
    public const int MaxParts = 14;

    public static void Write(TableEntity entity, string name, string? text, int maxParts = MaxParts)
    {
        if (text is null)
        {
            return;
        }

        if (text.Length <= MaxPlainChars)
        {
            entity[name] = text;
            return;
        }

        var compressed = Compress(text);
        var parts = (compressed.Length + PartBytes - 1) / PartBytes;
        if (parts > maxParts)
        {
            throw new StoredTextTooLargeException($"{text.Length} characters ({compressed.Length} bytes compressed) are more than a stored row holds ({maxParts * PartBytes} bytes compressed)");
        }

        for (var i = 0; i < parts; i++)
        {
            entity[$"{name}Gz{i}"] = compressed.AsSpan(i * PartBytes, Math.Min(PartBytes, compressed.Length - (i * PartBytes))).ToArray();
        }

        entity[$"{name}GzParts"] = parts;
    }

    /// <summary>Bytes the text takes when written compressed (0 when it stays plain).</summary>
    public static int CompressedSize(string text) => text.Length <= MaxPlainChars ? 0 : Compress(text).Length;

    public static string? Read(TableEntity entity, string name)
    {
        if (entity.TryGetValue(name, out var plain) && plain is string s)
        {
            return s;
        }

        if (entity.GetInt32($"{name}GzParts") is not { } parts)
        {
            return null;
        }

        using var joined = new MemoryStream();
        for (var i = 0; i < parts; i++)
        {
            var part = entity.GetBinary($"{name}Gz{i}") ?? throw new InvalidDataException($"stored text '{name}' lacks part {i} of {parts}");
            joined.Write(part);
        }

        joined.Position = 0;
        using var gzip = new GZipStream(joined, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static byte[] Compress(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
