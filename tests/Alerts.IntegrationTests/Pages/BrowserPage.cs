using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Alerts.IntegrationTests.Pages;

/// <summary>A browser tab for one test: what its pages logged as errors, their accessibility, screenshots.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    public BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        // Content-Security-Policy violations, failed script or style loads and script errors all land here.
        page.Console += (_, message) =>
        {
            // A page that answers 4xx on purpose (an error page, a refused form) is reported by Chromium
            // as a failed load of the document itself; that one is expected. Everything else counts.
            if (message.Type == "error" && !(message.Text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal) && (message.Location == page.Url || message.Location.StartsWith(page.Url + ":", StringComparison.Ordinal))))
            {
                _errors.Add($"{page.Url}: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => _errors.Add($"{page.Url}: {error}");
    }

    public IPage Page { get; }

    public IReadOnlyList<string> ConsoleErrors => _errors;

    public void AssertNoConsoleErrors() => Assert.True(_errors.Count == 0, string.Join("\n", _errors));

    /// <summary>Opens a path; the response, so the status can be checked.</summary>
    public async Task<IResponse> GoAsync(string path) => (await Page.GotoAsync(path))!;

    /// <summary>Checks the page with axe-core: no serious or critical violation.</summary>
    public async Task AssertAccessibleAsync()
    {
        var result = await Page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(bad.Count == 0, $"{Page.Url}: {string.Join("\n", bad)}");
    }

    /// <summary>A full-page screenshot under the test output, named for the page.</summary>
    public Task ShotAsync(string name) => Page.ScreenshotAsync(new() { Path = Path.Combine(PagesFixture.Screenshots, name + ".png"), FullPage = true });

    /// <summary>Accessible, screenshot taken: what every visited page goes through.</summary>
    public async Task CheckAsync(string name)
    {
        await AssertAccessibleAsync();
        await ShotAsync(name);
    }

    public async Task SignInAsync(string? name = "Pat")
    {
        await GoAsync("/console");
        Assert.Contains("/console/sign-in", Page.Url, StringComparison.Ordinal);
        await Page.GetByLabel("Admin key").FillAsync(ServeHost.AdminKey);
        if (name is not null)
        {
            await Page.GetByLabel("Your name").FillAsync(name);
        }

        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.WaitForURLAsync("**/console");
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
