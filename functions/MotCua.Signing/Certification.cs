namespace MotCua.Signing;

/// <summary>
/// What a certifying signature still permits after it (ISO 32000-1 §12.8.2.2, the DocMDP
/// transform's <c>/P</c>). The value is written as the signature's <c>/Reference</c> and the
/// catalog's <c>/Perms /DocMDP</c>; a certification is always the document's first signature.
/// </summary>
public enum Certification
{
    /// <summary>P=1: nothing may change; a later signature breaks the certification too.</summary>
    NoChanges = 1,

    /// <summary>P=2: filling in form fields and signing.</summary>
    FormFillingAndSigning = 2,

    /// <summary>P=3: form filling, signing, and annotations.</summary>
    FormFillingSigningAndAnnotations = 3,
}
