using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace MotCua.FunctionApp.Correspondence.Exchange.Edxml;

/// <summary>
/// The package's XML digital signature (decision 0018): enveloped, exclusive canonicalisation, RSA-SHA256,
/// the certificate in KeyInfo, placed in edXMLHeader as the official samples place it. It covers the
/// package without its encoded attachments, which it covers by their SHA-256 in the manifest instead,
/// so that neither side has to hold an attachment to sign or check it.
/// </summary>
public static class EdxmlSignature
{
    public static void Sign(XmlDocument package, X509Certificate2 certificate)
    {
        using var key = certificate.GetRSAPrivateKey() ?? throw new CryptographicException($"The certificate {certificate.Subject} has no RSA private key: edXML packages are signed with RSA.");
        var signed = new SignedXml(package) { SigningKey = key };
        signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signed.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference("") { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signed.AddReference(reference);
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(certificate));
        signed.KeyInfo = keyInfo;
        signed.ComputeSignature();
        var header = package.GetElementsByTagName("edXMLHeader", EdxmlNames.Namespace).Cast<XmlElement>().Single();
        header.AppendChild(package.ImportNode(signed.GetXml(), deep: true));
    }

    /// <summary>The signer's certificate when the one signature is intact over the whole package; otherwise why not.</summary>
    public static (X509Certificate2? Certificate, string? Problem) Verify(XmlDocument package)
    {
        var signatures = package.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl);
        if (signatures.Count == 0) return (null, "Gói tin không có chữ ký số XML.");
        if (signatures.Count > 1) return (null, "Gói tin có nhiều hơn một chữ ký số XML.");
        var signed = new SignedXml(package);
        try
        {
            signed.LoadXml((XmlElement)signatures[0]!);
            if (signed.SignedInfo is not { References.Count: 1 } info || info.References[0] is not Reference { Uri: "" })
                return (null, "Chữ ký số XML không ký toàn bộ gói tin.");
            var certificate = signed.KeyInfo?.OfType<KeyInfoX509Data>().SelectMany(d => d.Certificates?.OfType<X509Certificate2>() ?? []).FirstOrDefault();
            if (certificate is null) return (null, "Chữ ký số XML không kèm chứng thư số.");
            if (certificate.GetRSAPublicKey() is not { } publicKey) return (null, "Chứng thư số của chữ ký XML không dùng khóa RSA.");
            using (publicKey)
            {
                return signed.CheckSignature(publicKey) ? (certificate, null) : (null, "Chữ ký số XML không hợp lệ: gói tin đã bị thay đổi sau khi ký.");
            }
        }
        catch (CryptographicException e)
        {
            return (null, $"Chữ ký số XML không đọc được ({e.Message}).");
        }
    }
}
