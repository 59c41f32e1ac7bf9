using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Lookup;
using MotCua.FunctionApp.Problems;
using static MotCua.FunctionApp.PublicPages.PageHtml;

namespace MotCua.FunctionApp.PublicPages;

/// <summary>
/// The pages citizens open from a QR code or a link: dossier lookup (/tra-cuu), check of an issued document (/xac-thuc)
/// and the procedure catalogue (/thu-tuc). Server-rendered HTML that works without script, under the public lookup's
/// rate limit; a refusal is a page in Vietnamese with the problem's status. See docs/decisions/0020.
/// </summary>
public static class PublicPageEndpoints
{
    public static IEndpointRouteBuilder MapPublicPages(this IEndpointRouteBuilder app)
    {
        app.MapPage("LookupPage", "GET", "tra-cuu", LookupPage.FormAsync);
        app.MapPage("LookupPageAnswer", "POST", "tra-cuu", LookupPage.AnswerAsync);
        app.MapPage("DocumentCheckPage", "GET", "xac-thuc", DocumentCheckPage.Form);
        app.MapPage("DocumentCheckPageFile", "POST", "xac-thuc", DocumentCheckPage.FileAsync);
        app.MapPage("DocumentCheckPageById", "GET", "xac-thuc/{checkId}", DocumentCheckPage.ByIdAsync);
        app.MapPage("CataloguePage", "GET", "thu-tuc", CataloguePage.ListAsync);
        app.MapPage("ProcedurePage", "GET", "thu-tuc/{code}", CataloguePage.OneAsync);
        return app;
    }

    private static void MapPage(this IEndpointRouteBuilder app, string name, string method, string route, Delegate handler) =>
        app.MapFunction(name, new HttpTrigger(method, route, Anonymous: true, Page: true), handler)
            .RequireRateLimiting(PublicLookupEndpoints.Policy).WithMetadata(new PublicPage()).ExcludeFromDescription().DisableAntiforgery();

    /// <summary>Runs a page's work; a refusal becomes the whole page <paramref name="refused"/> draws for it (by default a plain error page), with the refusal's status.</summary>
    public static async Task<PageResult> RenderAsync(Func<Task<PageResult>> page, Func<ProblemException, string>? refused = null)
    {
        try
        {
            return await page();
        }
        catch (ProblemException e)
        {
            return refused is null ? Refusal(e.Status, ErrorBody(e.TitleVi, e.TitleEn, e.DetailVi), e.RetryAfter)
                : new PageResult(e.Status, refused(e), PageResult.NoStore) { RetryAfter = e.RetryAfter };
        }
        catch (BadHttpRequestException e)
        {
            return Refusal(e.StatusCode, ErrorBody("Yêu cầu không hợp lệ", "The request is not valid", "Vui lòng quay lại trang trước và thử lại."), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A citizen gets a page, not a problem document, when something behind it fails; the error is logged by the caller's activity.
            System.Diagnostics.Activity.Current?.AddException(e);
            return Refusal(503, ErrorBody("Hệ thống đang bận", "The service is busy", "Vui lòng thử lại sau ít phút."), TimeSpan.FromSeconds(30));
        }
    }

    public static PageResult Refusal(int status, string body, TimeSpan? retryAfter) =>
        new(status, Page(status == 429 ? "Vui lòng thử lại sau" : "Không thực hiện được", status == 429 ? "Please try again later" : "Could not be done", body),
            PageResult.NoStore) { RetryAfter = retryAfter };

    public static string ErrorBody(string titleVi, string titleEn, string? detailVi) =>
        Box("err", $"<p><strong>{Bi(titleVi, titleEn)}</strong></p>{(detailVi is null ? "" : $"<p>{E(detailVi)}</p>")}");

    /// <summary>The rate limit's refusal on a page: the same 429 and Retry-After as the API's, as a page.</summary>
    public static Task WriteTooManyAsync(HttpContext http, TimeSpan wait) =>
        Refusal(429, ErrorBody("Tra cứu quá nhiều lần", "Too many lookups",
            $"Vui lòng đợi khoảng {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} phút rồi thử lại."), wait).ExecuteAsync(http);
}
