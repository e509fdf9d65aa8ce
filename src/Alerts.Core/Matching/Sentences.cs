using System.Buffers;

namespace Alerts.Core.Matching;

/// <summary>Finds sentence ends in plain text, for scoring and for the evidence shown to people.</summary>
internal static class Sentences
{
    // Two searches: the ASCII stops take the fast vectorised path that a set with non-ASCII members loses
    // (a probabilistic map), and the three other stops are looked for only up to the first ASCII one.
    private static readonly SearchValues<char> AsciiStops = SearchValues.Create("\n\r.!?");

    /// <summary>Returns the end (exclusive) of the sentence that starts at <paramref name="start"/>.</summary>
    public static int EndOf(ReadOnlySpan<char> text, int start)
    {
        // Whitespace between sentences belongs to the one before; an empty "sentence" would break adjacency.
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        for (var i = start; i < text.Length; i++)
        {
            // Between stops the search is vectorised: sentence ends are looked for in every item with hits.
            var skip = IndexOfStop(text[i..]);
            if (skip < 0)
            {
                break;
            }

            i += skip;
            var c = text[i];
            if (c is '\n' or '\r')
            {
                return i + 1;
            }

            if (c is '.' or '!' or '?' or '؟' or '。' or '…')
            {
                var next = i + 1;
                // Closing quotes and brackets stay with the sentence they close.
                while (next < text.Length && text[next] is '"' or '\'' or '”' or '’' or '»' or ')')
                {
                    next++;
                }

                if (next >= text.Length)
                {
                    return text.Length;
                }

                if (char.IsWhiteSpace(text[next]) && (c != '.' || !IsAbbreviation(text, start, i)))
                {
                    return next;
                }
            }
        }

        return text.Length;
    }

    private static int IndexOfStop(ReadOnlySpan<char> text)
    {
        var ascii = text.IndexOfAny(AsciiStops);
        var other = (ascii < 0 ? text : text[..ascii]).IndexOfAny('؟', '。', '…');
        return other >= 0 ? other : ascii;
    }

    /// <summary>"N. Korea", "U.S. sanctions", "Mr. Kim": a period after one letter or a short title is no sentence end.</summary>
    private static bool IsAbbreviation(ReadOnlySpan<char> text, int sentenceStart, int dot)
    {
        var wordStart = dot;
        while (wordStart > sentenceStart && char.IsLetter(text[wordStart - 1]))
        {
            wordStart--;
        }

        var word = text[wordStart..dot];
        if (word.Length == 1)
        {
            return true;
        }

        return word.Length <= 3 && word switch
        {
            "Mr" or "Mrs" or "Ms" or "Dr" or "St" or "Gen" or "Lt" or "Col" or "No" or "vs" or "Jr" or "Sr" or "Rep" or "Sen" or "Gov" => true,
            _ => false,
        };
    }

    /// <summary>Trims whitespace from both ends of [start, end).</summary>
    public static (int Start, int End) Trim(ReadOnlySpan<char> text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return (start, end);
    }
}
