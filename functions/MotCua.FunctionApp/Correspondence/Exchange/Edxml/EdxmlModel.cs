namespace MotCua.FunctionApp.Correspondence.Exchange.Edxml;

/// <summary>Names of QCVN 102:2016's package and of the elements MotCua adds where the standard is silent.</summary>
public static class EdxmlNames
{
    public const string Namespace = "http://www.mic.gov.vn/TBT/QCVN_102_2016";
    public const string Prefix = "edXML";
    /// <summary>MotCua's extension: each manifest reference carries its attachment's SHA-256, so the header's signature covers the attachments (decision 0018).</summary>
    public const string ExtensionNamespace = "urn:motcua:edxml:1";
    public const string DateFormat = "yyyy'/'MM'/'dd";
    public const string TimestampFormat = "yyyy'/'MM'/'dd HH:mm:ss";
}

/// <summary>An agency as a package names it.</summary>
public sealed record EdxmlOrgan(string Id, string Name);

/// <summary>Who signed the document, as the header says it (Competence is the "TM./KT./TL." line).</summary>
public sealed record EdxmlSigner(string? Competence, string? Position, string? FullName);

/// <summary>A document the package answers (ResponseFor).</summary>
public sealed record EdxmlResponseFor(string OrganId, string? Code, DateOnly? PromulgationDate, string DocumentId);

/// <summary>The business block of the trace list: what the package does to a document (new, recall, update, replace).</summary>
public sealed record EdxmlBusiness(EdxmlBusinessType Type, string? Reason, string? DocumentId, IReadOnlyList<EdxmlReplacement> Replaces, string? Staff);

public enum EdxmlBusinessType
{
    New = 0,
    Recall = 1,
    Update = 2,
    Replace = 3,
}

/// <summary>A document a replacement replaces, and at which agencies.</summary>
public sealed record EdxmlReplacement(string DocumentId, IReadOnlyList<string> OrganIds);

/// <summary>One attachment as the manifest names it; <see cref="Sha256"/> is MotCua's extension, absent from other systems' packages.</summary>
public sealed record EdxmlAttachment(string ContentId, string ContentType, string Name, string? Description, byte[]? Sha256);

/// <summary>A document package's header: the document, where it comes from and goes to, and what it answers.</summary>
public sealed record EdxmlDocumentHeader(
    EdxmlOrgan From,
    IReadOnlyList<EdxmlOrgan> To,
    string DocumentId,
    string CodeNumber,
    string CodeNotation,
    string? Place,
    DateOnly PromulgationDate,
    string TypeName,
    string Subject,
    string? Content,
    EdxmlSigner? Signer,
    DateOnly? DueDate,
    int Priority,
    IReadOnlyList<string> ToPlaces,
    int SteeringType,
    IReadOnlyList<EdxmlResponseFor> ResponseFor);

/// <summary>A document package: header, business, manifest.</summary>
public sealed record EdxmlDocumentPackage(EdxmlDocumentHeader Header, EdxmlBusiness Business, IReadOnlyList<EdxmlAttachment> Attachments, DateTimeOffset Timestamp);

/// <summary>A status package: an agency's report on a document it received (codes 01–06, 13, 15, 16).</summary>
public sealed record EdxmlStatusPackage(EdxmlOrgan From, EdxmlResponseFor ResponseFor, string StatusCode, string? Description, DateTimeOffset Timestamp, string? Staff);
