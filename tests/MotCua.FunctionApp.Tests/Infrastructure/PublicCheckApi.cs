using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>The public check of an issued document, as anyone calls it: by the QR code's id, or by sending the PDF.</summary>
public static class PublicCheckApi
{
    public static async Task<JsonElement> ByIdAsync(TestApp app, string checkPath)
    {
        using var response = await app.Http.GetAsync($"/api/public/documents{checkPath}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static async Task<JsonElement> ForFileAsync(TestApp app, byte[] pdf)
    {
        var content = new ByteArrayContent(pdf);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var response = await app.Http.PostAsync("/api/public/documents/verification", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
