using Microsoft.Playwright;

namespace Otklik.E2E;

/// <summary>Debian's Chromium driven by Playwright, headless, with the flags this machine's closed network needs; screenshots go to OTKLIK_ARTIFACTS.</summary>
public sealed class Chromium : IAsyncDisposable
{
    public static readonly string Artifacts = Environment.GetEnvironmentVariable("OTKLIK_ARTIFACTS") is { Length: > 0 } dir
        ? dir
        : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static async Task<Chromium> LaunchAsync()
    {
        // Generous: the browser tests share two cores with the other test assemblies running beside them.
        Assertions.SetDefaultExpectTimeout(30_000);
        Directory.CreateDirectory(Artifacts);
        var chromium = new Chromium { _playwright = await Playwright.CreateAsync() };
        chromium.Browser = await chromium._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("OTKLIK_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return chromium;
    }

    public static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
