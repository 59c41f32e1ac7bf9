namespace MotCua.FunctionApp.Issuance;

/// <summary>A dossier's result as its citizen and officials see it.</summary>
public sealed record ResultView(string Stage, string StageText, string FileName, int Revision, DateTimeOffset AttachedAt,
    string? PersonSigner, DateTimeOffset? PersonSignedAt, DateTimeOffset? IssuedAt, DateTimeOffset? CancelledAt, string? CancelReason, string CheckUrl)
{
    public static ResultView Of(ResultEntity r, ResultOptions options) => new(Slug(r.StageValue), ResultProblems.Vietnamese(r.StageValue), r.FileName, r.Revision,
        r.AttachedAt, r.PersonSignerName, r.PersonSignedAt, r.IssuedAt, r.CancelledAt, r.CancelReason, options.CheckUrl(r.CheckId));

    public static string Slug(ResultStage stage) => stage switch
    {
        ResultStage.Draft => "draft",
        ResultStage.PersonSigned => "person-signed",
        ResultStage.Issued => "issued",
        ResultStage.Cancelled => "cancelled",
        _ => "unknown",
    };
}

public sealed record CancelResultForm(string Reason);

/// <summary>
/// What the public check of an issued document says, and nothing more: whether MotCua issued it, for
/// which dossier, whether it stands or was cancelled, and each signature's signer, time and validity.
/// </summary>
/// <remarks>For an agency's own document (văn bản đi), <see cref="Document"/> says which it is, and a recall shows as "cancelled".</remarks>
public sealed record PublicDocumentCheck(bool IssuedHere, string Status, string StatusText, string? DossierCode, string? ProcedureName,
    DateTimeOffset? IssuedAt, DateTimeOffset? CancelledAt, string? CancelReason, IReadOnlyList<PublicSignature> Signatures, CheckedDocument? Document = null);

/// <summary>An agency's issued document as its public check names it: number and notation, type, summary, issuing agency.</summary>
public sealed record CheckedDocument(string? Symbol, string DocumentType, string Summary, string Issuer);

/// <param name="SignedAt">The trusted time-stamp's time when there is one, else the time the signer claims.</param>
public sealed record PublicSignature(string? Signer, DateTimeOffset? SignedAt, bool TimeStamped, bool Valid, string Verdict, string VerdictText);
