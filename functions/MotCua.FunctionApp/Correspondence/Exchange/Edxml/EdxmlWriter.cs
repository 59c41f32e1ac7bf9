using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using MotCua.Domain.Dossiers;

namespace MotCua.FunctionApp.Correspondence.Exchange.Edxml;

/// <summary>
/// Writes packages as the standard and the official samples show them: root <c>edXML</c>, the envelope
/// with header and manifest, the header signed, then the attachments base64-encoded, each streamed
/// from its source through a small buffer.
/// </summary>
public static class EdxmlWriter
{
    private const int ChunkBytes = 48 * 1024;

    /// <summary>Reads each attachment once to hash it, signs the envelope, then reads it again into the output.</summary>
    public static async Task WriteDocumentAsync(Stream output, EdxmlDocumentPackage package, Func<int, CancellationToken, Task<Stream>> openAttachment,
        X509Certificate2 signer, CancellationToken cancellationToken)
    {
        var attachments = new List<EdxmlAttachment>(package.Attachments.Count);
        for (var i = 0; i < package.Attachments.Count; i++)
        {
            await using var source = await openAttachment(i, cancellationToken);
            attachments.Add(package.Attachments[i] with { Sha256 = await SHA256.HashDataAsync(source, cancellationToken) });
        }
        var envelope = Envelope(w => WriteDocumentHeader(w, package with { Attachments = attachments }), w => WriteManifest(w, attachments));
        EdxmlSignature.Sign(envelope, signer);
        using var writer = XmlWriter.Create(output, Settings);
        writer.WriteStartDocument();
        writer.WriteStartElement("edXML", EdxmlNames.Namespace);
        envelope.DocumentElement!.FirstChild!.WriteTo(writer);
        writer.WriteStartElement("AttachmentEncoded", EdxmlNames.Namespace);
        var buffer = new byte[ChunkBytes];
        for (var i = 0; i < attachments.Count; i++)
        {
            var a = attachments[i];
            writer.WriteStartElement("Attachment", EdxmlNames.Namespace);
            writer.WriteElementString("ContentId", EdxmlNames.Namespace, a.ContentId);
            writer.WriteElementString("AttachmentName", EdxmlNames.Namespace, a.Name);
            writer.WriteElementString("Description", EdxmlNames.Namespace, a.Description ?? a.Name);
            writer.WriteElementString("ContentType", EdxmlNames.Namespace, a.ContentType);
            writer.WriteStartElement(EdxmlNames.Prefix, "ContentTransferEncoded", EdxmlNames.Namespace);
            await using (var source = await openAttachment(i, cancellationToken))
            {
                // Whole base64 groups per chunk: ChunkBytes is a multiple of 3.
                int read;
                while ((read = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken)) > 0)
                {
                    writer.WriteBase64(buffer, 0, read);
                    if (read < buffer.Length) break;
                }
            }
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    public static void WriteStatus(Stream output, EdxmlStatusPackage status, X509Certificate2 signer)
    {
        var envelope = Envelope(w =>
        {
            w.WriteStartElement(EdxmlNames.Prefix, "MessageHeader", EdxmlNames.Namespace);
            WriteOrgan(w, "From", status.From);
            WriteResponseFor(w, status.ResponseFor);
            if (status.Staff is { } staff)
            {
                w.WriteStartElement(EdxmlNames.Prefix, "StaffInfo", EdxmlNames.Namespace);
                Element(w, "Staff", staff);
                w.WriteEndElement();
            }
            Element(w, "StatusCode", status.StatusCode);
            Element(w, "Description", status.Description);
            Element(w, "Timestamp", VietnamTime.Local(status.Timestamp).ToString(EdxmlNames.TimestampFormat, CultureInfo.InvariantCulture));
            w.WriteEndElement();
        }, manifest: null);
        EdxmlSignature.Sign(envelope, signer);
        using var writer = XmlWriter.Create(output, Settings);
        envelope.WriteTo(writer);
    }

    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), Indent = false, CloseOutput = false };

    /// <summary>The document MotCua signs: the root with the envelope only (header, then the manifest when there is one).</summary>
    private static XmlDocument Envelope(Action<XmlWriter> header, Action<XmlWriter>? manifest)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using (var w = document.CreateNavigator()!.AppendChild())
        {
            w.WriteStartElement("edXML", EdxmlNames.Namespace);
            w.WriteStartElement(EdxmlNames.Prefix, "edXMLEnvelope", EdxmlNames.Namespace);
            w.WriteStartElement(EdxmlNames.Prefix, "edXMLHeader", EdxmlNames.Namespace);
            header(w);
            w.WriteEndElement();
            if (manifest is not null)
            {
                w.WriteStartElement(EdxmlNames.Prefix, "edXMLBody", EdxmlNames.Namespace);
                manifest(w);
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
        }
        return document;
    }

    private static void WriteDocumentHeader(XmlWriter w, EdxmlDocumentPackage package)
    {
        var h = package.Header;
        w.WriteStartElement(EdxmlNames.Prefix, "MessageHeader", EdxmlNames.Namespace);
        WriteOrgan(w, "From", h.From);
        foreach (var to in h.To) WriteOrgan(w, "To", to);
        Element(w, "DocumentId", h.DocumentId);
        w.WriteStartElement(EdxmlNames.Prefix, "Code", EdxmlNames.Namespace);
        Element(w, "CodeNumber", h.CodeNumber);
        Element(w, "CodeNotation", h.CodeNotation);
        w.WriteEndElement();
        w.WriteStartElement(EdxmlNames.Prefix, "PromulgationInfo", EdxmlNames.Namespace);
        Element(w, "Place", h.Place);
        Element(w, "PromulgationDate", h.PromulgationDate.ToString(EdxmlNames.DateFormat, CultureInfo.InvariantCulture));
        w.WriteEndElement();
        w.WriteStartElement(EdxmlNames.Prefix, "DocumentType", EdxmlNames.Namespace);
        Element(w, "Type", "1");
        Element(w, "TypeDetail", "0");
        Element(w, "TypeName", h.TypeName);
        w.WriteEndElement();
        Element(w, "Subject", h.Subject);
        Element(w, "Content", h.Content ?? h.Subject);
        if (h.Signer is { } signer)
        {
            w.WriteStartElement(EdxmlNames.Prefix, "SignerInfo", EdxmlNames.Namespace);
            Element(w, "Competence", signer.Competence);
            Element(w, "Position", signer.Position);
            Element(w, "FullName", signer.FullName);
            w.WriteEndElement();
        }
        Element(w, "DueDate", h.DueDate?.ToString(EdxmlNames.DateFormat, CultureInfo.InvariantCulture));
        w.WriteStartElement(EdxmlNames.Prefix, "OtherInfo", EdxmlNames.Namespace);
        Element(w, "Priority", h.Priority.ToString(CultureInfo.InvariantCulture));
        Element(w, "PromulgationAmount", "1");
        w.WriteEndElement();
        Element(w, "SteeringType", h.SteeringType.ToString(CultureInfo.InvariantCulture));
        if (h.ToPlaces.Count > 0)
        {
            w.WriteStartElement(EdxmlNames.Prefix, "ToPlaces", EdxmlNames.Namespace);
            foreach (var place in h.ToPlaces) Element(w, "Place", place);
            w.WriteEndElement();
        }
        foreach (var answered in h.ResponseFor) WriteResponseFor(w, answered);
        w.WriteEndElement();
        WriteTrace(w, h.From.Id, package.Business, package.Timestamp);
    }

    private static void WriteTrace(XmlWriter w, string organId, EdxmlBusiness business, DateTimeOffset timestamp)
    {
        w.WriteStartElement(EdxmlNames.Prefix, "TraceHeaderList", EdxmlNames.Namespace);
        w.WriteStartElement(EdxmlNames.Prefix, "TraceHeader", EdxmlNames.Namespace);
        Element(w, "OrganId", organId);
        Element(w, "Timestamp", VietnamTime.Local(timestamp).ToString(EdxmlNames.TimestampFormat, CultureInfo.InvariantCulture));
        w.WriteEndElement();
        w.WriteStartElement(EdxmlNames.Prefix, "Bussiness", EdxmlNames.Namespace);
        Element(w, "DocumentId", business.DocumentId);
        Element(w, "BussinessDocType", ((int)business.Type).ToString(CultureInfo.InvariantCulture));
        Element(w, "BussinessDocReason", business.Reason);
        Element(w, "Paper", "0");
        if (business.Replaces.Count > 0)
        {
            w.WriteStartElement(EdxmlNames.Prefix, "ReplacementInfoList", EdxmlNames.Namespace);
            foreach (var replaced in business.Replaces)
            {
                w.WriteStartElement(EdxmlNames.Prefix, "ReplacementInfo", EdxmlNames.Namespace);
                Element(w, "DocumentId", replaced.DocumentId);
                w.WriteStartElement(EdxmlNames.Prefix, "OrganIdList", EdxmlNames.Namespace);
                foreach (var organ in replaced.OrganIds) Element(w, "OrganId", organ);
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        if (business.Staff is { } staff)
        {
            w.WriteStartElement(EdxmlNames.Prefix, "StaffInfo", EdxmlNames.Namespace);
            Element(w, "Staff", staff);
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void WriteManifest(XmlWriter w, IReadOnlyList<EdxmlAttachment> attachments)
    {
        w.WriteStartElement(EdxmlNames.Prefix, "edXMLManifest", EdxmlNames.Namespace);
        w.WriteAttributeString("version", "1.0");
        foreach (var a in attachments)
        {
            w.WriteStartElement(EdxmlNames.Prefix, "Reference", EdxmlNames.Namespace);
            Element(w, "ContentId", a.ContentId);
            Element(w, "ContentType", a.ContentType);
            Element(w, "Description", a.Description ?? a.Name);
            Element(w, "AttachmentName", a.Name);
            if (a.Sha256 is { } digest) w.WriteElementString("motcua", "Sha256", EdxmlNames.ExtensionNamespace, Convert.ToBase64String(digest));
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void WriteOrgan(XmlWriter w, string name, EdxmlOrgan organ)
    {
        w.WriteStartElement(EdxmlNames.Prefix, name, EdxmlNames.Namespace);
        Element(w, "OrganId", organ.Id);
        Element(w, "OrganizationInCharge", organ.Name);
        Element(w, "OrganName", organ.Name);
        w.WriteEndElement();
    }

    private static void WriteResponseFor(XmlWriter w, EdxmlResponseFor r)
    {
        w.WriteStartElement(EdxmlNames.Prefix, "ResponseFor", EdxmlNames.Namespace);
        Element(w, "OrganId", r.OrganId);
        Element(w, "Code", r.Code);
        Element(w, "PromulgationDate", r.PromulgationDate?.ToString(EdxmlNames.DateFormat, CultureInfo.InvariantCulture));
        Element(w, "DocumentId", r.DocumentId);
        w.WriteEndElement();
    }

    private static void Element(XmlWriter w, string name, string? value)
    {
        if (value is not null) w.WriteElementString(EdxmlNames.Prefix, name, EdxmlNames.Namespace, value);
    }
}
