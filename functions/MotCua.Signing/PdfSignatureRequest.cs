using System.Security.Cryptography.X509Certificates;
using MotCua.Signing.Forms;

namespace MotCua.Signing;

/// <summary>What one PAdES signature says and shows.</summary>
public sealed record PdfSignatureRequest
{
    /// <summary>The signer's certificate; signing-certificate-v2 binds the signature to it.</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>Issuing certificates, carried in the CMS so verifiers can build the path.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; init; } = [];

    /// <summary>The claimed signing time, written to the signature dictionary's <c>/M</c>.</summary>
    public required DateTimeOffset SigningTime { get; init; }

    public string? SignerName { get; init; }
    public string? Reason { get; init; }
    public string? Location { get; init; }

    /// <summary>The signature field's name; by default the first free "Signature{n}".</summary>
    public string? FieldName { get; init; }

    /// <summary>The visible signature; null makes the signature invisible.</summary>
    public PlacedDrawing? Appearance { get; init; }

    /// <summary>Marks added in the same revision, such as the QR code of the public check.</summary>
    public IReadOnlyList<PlacedDrawing> Stamps { get; init; } = [];

    /// <summary>Text fields added empty in the same revision, filled after the signature (<see cref="PdfFieldFiller"/>).</summary>
    public IReadOnlyList<FillableTextField> FillableFields { get; init; } = [];

    /// <summary>Makes this the certifying signature with what it still permits; null signs without certifying.</summary>
    public Certification? Certify { get; init; }

    /// <summary>Validation material for the document security store (PAdES B-LT), when there is any.</summary>
    public RevocationMaterial? Revocation { get; init; }

    /// <summary>Bytes reserved for the CMS, time-stamp token included; a larger one is refused.</summary>
    public int ReservedSignatureBytes { get; init; } = 24 * 1024;
}

/// <summary>DER certificates, CRLs and OCSP responses for the document security store (ETSI EN 319 142-1 §5.4).</summary>
public sealed record RevocationMaterial(IReadOnlyList<byte[]> Certificates, IReadOnlyList<byte[]> Crls, IReadOnlyList<byte[]> OcspResponses)
{
    public bool IsEmpty => Certificates.Count == 0 && Crls.Count == 0 && OcspResponses.Count == 0;
}
