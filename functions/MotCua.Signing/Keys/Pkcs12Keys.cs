using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MotCua.Signing.Keys;

/// <summary>
/// Reads a PKCS#12 (PFX) bundle into a signer: the one certificate with a private key signs, the
/// others form its chain. Keys are loaded ephemeral, so they live in this process's memory only and
/// are never written to a key store on disk.
/// </summary>
public static class Pkcs12Keys
{
    public static CertificateHashSigner Load(ReadOnlySpan<byte> pkcs12, string? password)
    {
        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12Collection(pkcs12, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            // The loader's message may not say much; it never includes the password.
            throw new SigningKeyException("The PKCS#12 bundle cannot be read: wrong password or not a PKCS#12 file.", e);
        }
        var withKey = all.Where(c => c.HasPrivateKey).ToList();
        if (withKey.Count != 1)
        {
            foreach (var c in all) c.Dispose();
            throw new SigningKeyException($"The PKCS#12 bundle holds {withKey.Count} certificates with a private key; exactly one is expected.");
        }
        var leaf = withKey[0];
        var chain = ChainOf(leaf, [.. all.Where(c => !ReferenceEquals(c, leaf))]);
        foreach (var unused in all.Where(c => !ReferenceEquals(c, leaf) && !chain.Contains(c))) unused.Dispose();
        try
        {
            return new CertificateHashSigner(leaf, chain);
        }
        catch (ArgumentException e)
        {
            throw new SigningKeyException(e.Message, e);
        }
    }

    /// <summary>The issuers of <paramref name="leaf"/> found among <paramref name="others"/>, nearest first, self-signed roots left out.</summary>
    public static List<X509Certificate2> ChainOf(X509Certificate2 leaf, IReadOnlyCollection<X509Certificate2> others)
    {
        var chain = new List<X509Certificate2>();
        var current = leaf;
        while (others.FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData) && !chain.Contains(c) && !ReferenceEquals(c, current)) is { } issuer)
        {
            if (issuer.SubjectName.RawData.AsSpan().SequenceEqual(issuer.IssuerName.RawData)) break;
            chain.Add(issuer);
            current = issuer;
        }
        return chain;
    }
}

/// <summary>A signing key that cannot be loaded or used: a configuration or key-store fault, not the caller's.</summary>
public sealed class SigningKeyException(string message, Exception? inner = null) : Exception(message, inner);
