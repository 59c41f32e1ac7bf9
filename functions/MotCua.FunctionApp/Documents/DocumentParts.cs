using System.Globalization;
using MotCua.Domain.Documents;
using MotCua.FunctionApp.Dossiers;

namespace MotCua.FunctionApp.Documents;

/// <summary>
/// Multipart file parts: "document" for a file of no particular component, "document:2" for one
/// that provides the procedure's second component (thành phần hồ sơ số 2).
/// </summary>
public static class DocumentParts
{
    public const string Name = "document";

    public static bool IsDocument(string? partName) =>
        partName is not null && (partName == Name || partName.StartsWith(Name + ":", StringComparison.Ordinal));

    /// <summary>The component a part names, checked against the procedure's <paramref name="componentCount"/>.</summary>
    public static int? Component(string partName, int componentCount)
    {
        if (partName == Name) return null;
        var text = partName[(Name.Length + 1)..];
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= componentCount
            ? number
            : throw Problems.Problems.UnknownComponent(text, componentCount);
    }

    public static DocumentEntity Row(StoredDocument d, string dossierId, string dossierCode, DateTimeOffset uploadedAt) => new()
    {
        PartitionKey = dossierId,
        RowKey = d.DocumentId,
        DossierCode = dossierCode,
        FileName = d.FileName,
        ContentType = d.ContentType,
        Length = d.Length,
        Sha256 = d.Sha256,
        BlobName = d.BlobName,
        UploadedAt = uploadedAt,
        Kind = d.Kind.Slug(),
        Component = d.Component,
        Stage = DocumentStages.Stored,
        BlobETag = d.BlobETag,
    };
}
