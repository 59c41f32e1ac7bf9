using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Hosting;

/// <summary>
/// Reads a JSON request body strictly, as the 'dossier' part of a submission is read: at most a
/// set number of bytes (413 past it, before anything is decided), and members the form does not
/// have are refused by name rather than ignored. Refusals name JSON members, never our types.
/// </summary>
public static class JsonBody
{
    /// <summary>An action, an apology, an upload request, a device: a comment of 2000 characters escaped as \uXXXX fits.</summary>
    public const int SmallFormBytes = 16 * 1024;

    /// <summary>A procedure with its components and workflow, or a year's calendar.</summary>
    public const int CatalogueFormBytes = 256 * 1024;

    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>The body as <typeparamref name="T"/>, or null when there is none (no bytes, or JSON null).</summary>
    public static async Task<T?> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken) where T : class
    {
        if (request.ContentLength > maxBytes) throw BodyTooLarge(maxBytes);
        var buffer = new byte[maxBytes + 1];
        var length = await request.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (length > maxBytes) throw BodyTooLarge(maxBytes);
        if (length == 0) return null;
        if (!request.HasJsonContentType()) throw NotJson();
        return Parse<T>(buffer.AsSpan(0, length));
    }

    /// <summary>JSON already read (a multipart form's JSON part), held to the same strict rules as a body.</summary>
    public static T? Parse<T>(ReadOnlySpan<byte> json) where T : class
    {
        EnsureWellFormed(json);
        try
        {
            return JsonSerializer.Deserialize<T>(json, Strict);
        }
        catch (JsonException e)
        {
            var member = Member(e.Path);
            throw IsUnknownMember(typeof(T), Segments(e.Path)) ? UnknownMember(member) : WrongMemberValue(member);
        }
    }

    /// <summary>The body, which this endpoint needs.</summary>
    public static async Task<T> ReadRequiredAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken) where T : class =>
        await ReadAsync<T>(request, maxBytes, cancellationToken) ?? throw BodyRequired();

    private static void EnsureWellFormed(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            throw BodyNotReadable(e.LineNumber ?? 0, e.BytePositionInLine ?? 0);
        }
    }

    /// <summary>Whether the path ends at a member that the object holding it does not have.</summary>
    private static bool IsUnknownMember(Type type, IReadOnlyList<string> segments)
    {
        var info = Strict.GetTypeInfo(type);
        foreach (var segment in segments)
        {
            Type? next;
            if (segment.StartsWith('['))
            {
                next = info.ElementType;
            }
            else
            {
                if (info.Kind != JsonTypeInfoKind.Object) return false;
                next = info.Properties.FirstOrDefault(p => string.Equals(p.Name, segment, StringComparison.OrdinalIgnoreCase))?.PropertyType;
                if (next is null) return true;
            }
            if (next is null) return false;
            info = Strict.GetTypeInfo(next);
        }
        return false;
    }

    /// <summary>"$.signature.keyId" → "signature.keyId"; "$.holidays[0].name" → "holidays[0].name"; the root → "".</summary>
    private static string Member(string? path)
    {
        const int MaxShown = 100;
        var builder = new StringBuilder();
        foreach (var segment in Segments(path))
        {
            if (builder.Length > 0 && !segment.StartsWith('[')) builder.Append('.');
            builder.Append(segment);
        }
        return builder.Length > MaxShown ? builder.ToString(0, MaxShown) + "…" : builder.ToString();
    }

    /// <summary>The names and [index] steps of a JSON path as System.Text.Json writes it: $.a.b, $['a b'], $.a[0].</summary>
    private static List<string> Segments(string? path)
    {
        var segments = new List<string>();
        if (string.IsNullOrEmpty(path)) return segments;
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) end = path.Length;
                segments.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0) end = path.Length - 1;
                segments.Add(path[i..(end + 1)]);
                i = end + 1;
            }
            else
            {
                break;
            }
        }
        return segments;
    }
}
