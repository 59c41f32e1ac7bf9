using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Playwright;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;

namespace MotCua.FunctionApp.Tests.PublicPages;

/// <summary>
/// One headless Debian chromium for every public page test (Playwright drives it; its own browser download does not work
/// here), and one app on Azurite that can seal results. Pages are opened as a 360×740 phone; screenshots go to
/// .test-results/screenshots, beside page-sizes.txt.
/// </summary>
public sealed class PhoneBrowser : IAsyncLifetime
{
    public static readonly string Screenshots = Path.Combine(RepositoryRoot.Path, ".test-results", "screenshots");
    private static readonly string AxeScript = Path.Combine(RepositoryRoot.Path, ".tools", "axe-core", "node_modules", "axe-core", "axe.min.js");
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly string _folder = Directory.CreateTempSubdirectory("motcua-pages-").FullName;
    private IPlaywright _playwright = default!;

    public TestPki Pki { get; } = TestPki.Create(Now);

    public IBrowser Browser { get; private set; } = default!;

    public TestApp App { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        var trust = Path.Combine(_folder, "trust");
        Pki.WriteTrustFolder(trust);
        var seal = Pki.IssueSigner("CN=UBND phường Nha Trang, O=UBND phường Nha Trang, C=VN", Now.AddYears(-1), Now.AddYears(2));
        var sealFile = Path.Combine(_folder, "seal.p12");
        await File.WriteAllBytesAsync(sealFile, seal.Export(X509ContentType.Pkcs12, "mật-khẩu"));
        App = await TestApp.StartAsync(settings: new()
        {
            ["Signatures:TrustFolder"] = trust,
            ["Signing:Seal:Pkcs12Path"] = sealFile,
            ["Signing:Seal:Pkcs12Password"] = "mật-khẩu",
            // Every test here comes from 127.0.0.1; the limit itself is held by PublicLookupGuardTests.
            ["Lookup:PermitsPerMinute"] = "1000",
        });
        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await App.DisposeAsync();
        Pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A fresh phone-sized tab; every address it asks for is recorded, to show that nothing leaves for another site.</summary>
    public async Task<PhoneTab> OpenAsync()
    {
        var context = await Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 360, Height = 740 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
            Locale = "vi-VN",
        });
        var page = await context.NewPageAsync();
        var tab = new PhoneTab(context, page, App.Http.BaseAddress!);
        page.Request += (_, request) => tab.Requested.Add(request.Url);
        return tab;
    }

    /// <summary>axe-core's WCAG 2.0/2.1 A and AA rules over the page as it is; the violations, each with where it is.</summary>
    public static async Task<IReadOnlyList<string>> AxeViolationsAsync(IPage page)
    {
        Assert.True(File.Exists(AxeScript), $"axe-core is missing at {AxeScript}: scripts/common.sh ensure_test_tools installs it.");
        await page.EvaluateAsync(await File.ReadAllTextAsync(AxeScript));
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }))
                .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))
            """);
        return [.. violations.EnumerateArray().Select(v => v.GetString()!)];
    }
}

[CollectionDefinition(Name)]
public sealed class PhoneBrowserCollection : ICollectionFixture<PhoneBrowser>
{
    public const string Name = "Phone browser";
}

/// <summary>A tab of the phone browser, with the keyboard pass and the checks every page gets.</summary>
public sealed class PhoneTab(IBrowserContext context, IPage page, Uri app) : IAsyncDisposable
{
    public IPage Page => page;

    public List<string> Requested { get; } = [];

    /// <summary>Opens a scanned or typed address on the app: the QR's host is the public one, the path and query are what count.</summary>
    public async Task<IResponse> GoAsync(string address)
    {
        var target = new Uri(app, new Uri(new Uri("https://x"), address).PathAndQuery);
        return (await page.GotoAsync(target.ToString()))!;
    }

    /// <summary>Does what leads to another page (Enter on a form, a click) and gives that page's response once it has loaded.</summary>
    public async Task<IResponse> NavigateByAsync(Func<Task> action)
    {
        // The page being left is marked, so the wait ends on the new document even when it has the same address (a form posted to itself).
        await page.EvaluateAsync("() => { window.leaving = true; }");
        var response = await page.RunAndWaitForResponseAsync(action, r => r.Request.IsNavigationRequest && r.Frame == page.MainFrame);
        await page.WaitForFunctionAsync("() => !window.leaving && document.readyState === 'complete'");
        return response;
    }

    /// <summary>
    /// Tabs on until the element <paramref name="selector"/> finds has the focus, checking that each element reached
    /// shows a focus outline; at most <paramref name="maxTabs"/> presses.
    /// </summary>
    public async Task TabToAsync(string selector, int maxTabs = 12)
    {
        for (var i = 0; i < maxTabs; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focus = await page.EvaluateAsync<JsonElement>("""
                selector => { const e = document.activeElement, s = getComputedStyle(e);
                              return { id: e.id, tag: e.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth), target: e.matches(selector) }; }
                """, selector);
            var tag = focus.GetProperty("tag").GetString();
            Assert.NotEqual("BODY", tag);
            Assert.True(focus.GetProperty("outline").GetString() != "none" && focus.GetProperty("width").GetDouble() >= 2,
                $"{tag}#{focus.GetProperty("id").GetString()} has no visible focus outline");
            if (focus.GetProperty("target").GetBoolean()) return;
        }
        Assert.Fail($"{selector} was not reached with {maxTabs} presses of Tab");
    }

    /// <summary>The checks of every page: no violation of WCAG 2.1 A/AA that axe finds, only the app asked for, a phone-sized screenshot.</summary>
    public async Task CheckAsync(string name)
    {
        Assert.Equal("vi", await page.GetAttributeAsync("html", "lang"));
        Assert.Empty(await PhoneBrowser.AxeViolationsAsync(page));
        Assert.All(Requested, url => Assert.StartsWith(app.GetLeftPart(UriPartial.Authority), url, StringComparison.Ordinal));
        // Nothing wider than the phone: no sideways scrolling at 360 px.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 360"), $"{name} scrolls sideways at 360 px");
        await page.ScreenshotAsync(new() { Path = Path.Combine(PhoneBrowser.Screenshots, name + ".png"), FullPage = true });
    }

    /// <summary>Records the bytes of a page as sent (before compression) in page-sizes.txt.</summary>
    public static async Task RecordSizeAsync(string name, IResponse response)
    {
        var bytes = (await response.BodyAsync()).Length;
        Assert.True(bytes < 16 * 1024, $"{name} is {bytes} bytes");
        lock (Requests) File.AppendAllText(Path.Combine(PhoneBrowser.Screenshots, "page-sizes.txt"), $"{name}\t{bytes}\n");
    }

    private static readonly object Requests = new();

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
