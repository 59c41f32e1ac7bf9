using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MotCua.FunctionApp.Documents;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Search;

namespace MotCua.FunctionApp.Tests.Infrastructure;

public static class DocumentApi
{
    /// <summary>The dossier once every document's outcome is in its history.</summary>
    public static Task<DossierView> CheckedAsync(TestApp app, string code, int documents, int seconds = 120) =>
        Eventually.GetAsync(async () =>
        {
            var view = await DossierApi.GetAsync(app, code, Users.Clerk);
            return view!.DocumentChecks.Recorded >= documents ? view : null;
        }, $"{documents} documents of {code} to be checked", seconds);

    public static async Task<PageView> PageAsync(TestApp app, string code, string documentId, int page, Auth.CurrentUser user)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{code}/documents/{documentId}/pages/{page}", user));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<PageView>(JsonSerializerOptions.Web))!;
    }

    public static async Task<DocumentDetail> DetailAsync(TestApp app, string code, string documentId, Auth.CurrentUser user)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{code}/documents/{documentId}", user));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<DocumentDetail>(JsonSerializerOptions.Web))!;
    }

    public static async Task<List<SearchResult>> SearchAsync(TestApp app, string query, Auth.CurrentUser user)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/search?q={Uri.EscapeDataString(query)}", user));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<List<SearchResult>>(JsonSerializerOptions.Web))!;
    }
}
