using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Documents;

/// <summary>Reading multipart/form-data section by section, with every parse failure as a 400 problem.</summary>
public static class MultipartParts
{
    public static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException && e is not DocumentTooLargeException and not BadHttpRequestException)
        {
            throw MalformedMultipart(e.Message);
        }
    }

    public static string Boundary(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw NotMultipart();
        }
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        return string.IsNullOrEmpty(boundary) || boundary.Length > 200 ? throw MalformedMultipart("Missing or overlong boundary.") : boundary;
    }

    public static ContentDispositionHeaderValue? Disposition(MultipartSection section) =>
        ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var value) ? value : null;

    public static string? PartName(MultipartSection section) => HeaderUtilities.RemoveQuotes(Disposition(section)?.Name ?? default).Value;

    public static string? FileName(MultipartSection section)
    {
        var disposition = Disposition(section);
        var name = disposition?.FileNameStar.HasValue == true ? disposition.FileNameStar : disposition?.FileName ?? default;
        return HeaderUtilities.RemoveQuotes(name).Value;
    }
}
