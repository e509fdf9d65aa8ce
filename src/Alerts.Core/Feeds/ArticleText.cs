namespace Alerts.Core.Feeds;

/// <summary>The readable article in a web page (title and body text), without navigation, ads and footers.</summary>
public static class ArticleText
{
    /// <summary>Extracts with SmartReader (a port of Mozilla's Readability); falls back to the page's whole text.</summary>
    public static (string Title, string Text) Extract(string url, string html)
    {
        try
        {
            var article = new SmartReader.Reader(url, html) { Debug = false }.GetArticle();
            if (article.IsReadable && !string.IsNullOrWhiteSpace(article.TextContent))
            {
                return (HtmlText.ToPlainText(article.Title), HtmlText.ToPlainText(article.TextContent));
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            // A page SmartReader cannot read is still text: use all of it.
        }

        return ("", HtmlText.ToPlainText(html));
    }
}
