using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Units;

namespace MotCua.FunctionApp.Correspondence.Exchange.Edxml;

/// <summary>What a package may be: its size, how deep its elements go, how many attachments, how large its envelope.</summary>
public sealed record EdxmlLimits(long MaxPackageBytes = 300L * 1024 * 1024, int MaxDepth = 24, int MaxAttachments = 20, int MaxEnvelopeBytes = 1024 * 1024);

/// <summary>An attachment as it arrived: decoded into a local file while its SHA-256 was computed.</summary>
public sealed record EdxmlReceivedFile(EdxmlAttachment Info, string Path, long Length, byte[] Sha256);

/// <summary>A package read whole: a document or a status, the signed part (for the signature's check) and the attachments' files.</summary>
public sealed record EdxmlRead(EdxmlDocumentPackage? Document, EdxmlStatusPackage? Status, XmlDocument Signed, IReadOnlyList<EdxmlReceivedFile> Files) : IDisposable
{
    public void Dispose()
    {
        foreach (var file in Files) File.Delete(file.Path);
    }
}

/// <summary>Why a package was refused, in words the sender's records clerk can read.</summary>
public sealed class EdxmlException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>
/// Reads a package in one forward pass: no DTD, no external entity, bounded size and depth. The envelope
/// (header and manifest, small) is kept as a document for its signature's check; each attachment is
/// decoded into a file in <c>folder</c> through a small buffer, hashed on the way.
/// </summary>
public static class EdxmlReader
{
    private static readonly string[] StatusCodes = ["01", "02", "03", "04", "05", "06", "13", "15", "16"];

    public static EdxmlRead Read(Stream input, string folder, EdxmlLimits limits)
    {
        var bounded = new BoundedStream(input, limits.MaxPackageBytes);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersFromEntities = 0, IgnoreComments = true, IgnoreProcessingInstructions = true,
            CloseInput = false,
        };
        List<EdxmlReceivedFile> files = [];
        try
        {
            // The root's start tag, like every small field, is read whole: it gets a small ceiling.
            bounded.Ceiling = FieldBytes;
            using var reader = XmlReader.Create(bounded, settings);
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "edXML" || reader.NamespaceURI != EdxmlNames.Namespace)
                throw new EdxmlException($"Gốc của gói tin phải là edXML trong không gian tên {EdxmlNames.Namespace}.");
            var signed = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
            var root = signed.CreateElement(reader.Prefix, reader.LocalName, reader.NamespaceURI);
            // The root's namespace declarations and attributes are part of what was signed.
            while (reader.MoveToNextAttribute())
            {
                var attribute = signed.CreateAttribute(reader.Prefix, reader.LocalName, reader.NamespaceURI);
                attribute.Value = reader.Value;
                root.SetAttributeNode(attribute);
            }
            reader.MoveToElement();
            bounded.Ceiling = null;
            signed.AppendChild(root);
            XmlElement? envelope = null;
            if (reader.IsEmptyElement) throw new EdxmlException("Gói tin rỗng.");
            reader.Read();
            while (reader.NodeType != XmlNodeType.EndElement)
            {
                if (reader.NodeType != XmlNodeType.Element) { reader.Read(); continue; }
                if (reader.Depth > limits.MaxDepth) throw new EdxmlException("Gói tin lồng quá sâu.");
                if (reader.LocalName == "edXMLEnvelope" && reader.NamespaceURI == EdxmlNames.Namespace && envelope is null)
                {
                    bounded.Ceiling = bounded.Position + limits.MaxEnvelopeBytes;
                    envelope = (XmlElement)signed.ReadNode(reader)!;
                    bounded.Ceiling = null;
                    if (Depth(envelope) > limits.MaxDepth) throw new EdxmlException("Gói tin lồng quá sâu.");
                    root.AppendChild(envelope);
                }
                else if (reader.LocalName == "AttachmentEncoded" && reader.NamespaceURI == EdxmlNames.Namespace)
                {
                    ReadAttachments(reader, bounded, folder, limits, files);
                }
                else reader.Skip();
            }
            if (envelope is null) throw new EdxmlException("Gói tin thiếu edXMLEnvelope.");
            var names = new XmlNamespaceManager(signed.NameTable);
            names.AddNamespace("e", EdxmlNames.Namespace);
            names.AddNamespace("m", EdxmlNames.ExtensionNamespace);
            var header = envelope.SelectSingleNode("e:edXMLHeader/e:MessageHeader", names) as XmlElement ?? throw new EdxmlException("Gói tin thiếu MessageHeader.");
            if (header.SelectSingleNode("e:StatusCode", names) is not null) return new EdxmlRead(null, ReadStatus(header, names), signed, files);
            var document = ReadDocument(envelope, header, names);
            CheckFiles(document.Attachments, files);
            return new EdxmlRead(document, null, signed, files);
        }
        catch (Exception e)
        {
            foreach (var file in files) File.Delete(file.Path);
            if (e is not (XmlException or EdxmlException or DecoderFallbackException or FormatException or IOException or InvalidOperationException)) throw;
            throw e switch
            {
                EdxmlException refused => refused,
                XmlException { Message: var m } when m.Contains("DTD", StringComparison.OrdinalIgnoreCase) => new EdxmlException("Gói tin có DTD hoặc thực thể: không được phép.", e),
                PackageTooLargeException => new EdxmlException(e.Message, e),
                XmlException => new EdxmlException($"Gói tin không phải XML hợp lệ hoặc bị cắt cụt ({e.Message}).", e),
                _ => new EdxmlException($"Gói tin không đọc được ({e.Message}).", e),
            };
        }
    }

    private static void ReadAttachments(XmlReader reader, BoundedStream bounded, string folder, EdxmlLimits limits, List<EdxmlReceivedFile> files)
    {
        if (reader.IsEmptyElement) { reader.Read(); return; }
        var depth = reader.Depth;
        reader.Read();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Attachment" && reader.Depth == depth + 1)
            {
                if (files.Count >= limits.MaxAttachments) throw new EdxmlException($"Gói tin có quá {limits.MaxAttachments} tệp đính kèm.");
                ReadAttachment(reader, bounded, folder, files);
            }
            else reader.Read();
        }
        reader.Read();
    }

    /// <summary>Reads one attachment into <paramref name="files"/>: the file joins the list as soon as it exists, so every failure after deletes it.</summary>
    private static void ReadAttachment(XmlReader reader, BoundedStream bounded, string folder, List<EdxmlReceivedFile> files)
    {
        string? contentId = null, name = null, description = null, type = null;
        var index = -1;
        var depth = reader.Depth;
        if (reader.IsEmptyElement) throw new EdxmlException("Tệp đính kèm rỗng.");
        reader.Read();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType != XmlNodeType.Element) { reader.Read(); continue; }
            switch (reader.LocalName)
            {
                case "ContentId": contentId = Small(reader, bounded); break;
                case "AttachmentName": name = Small(reader, bounded); break;
                case "Description": description = Small(reader, bounded); break;
                case "ContentType": type = Small(reader, bounded); break;
                case "ContentTransferEncoded":
                    if (index >= 0) throw new EdxmlException($"Tệp đính kèm {contentId} có hai nội dung.");
                    var path = Path.Combine(folder, $"motcua-edxml-{Guid.NewGuid():N}");
                    index = files.Count;
                    files.Add(new EdxmlReceivedFile(new EdxmlAttachment("", "", "", null, null), path, 0, []));
                    using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 128 * 1024))
                    using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                    {
                        var buffer = new byte[96 * 1024];
                        long length = 0;
                        int read;
                        while ((read = reader.ReadElementContentAsBase64(buffer, 0, buffer.Length)) > 0)
                        {
                            output.Write(buffer, 0, read);
                            hash.AppendData(buffer, 0, read);
                            length += read;
                        }
                        files[index] = files[index] with { Length = length, Sha256 = hash.GetHashAndReset() };
                    }
                    if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "ContentTransferEncoded") reader.Read();
                    break;
                default: reader.Skip(); break;
            }
        }
        reader.Read();
        if (index < 0) throw new EdxmlException($"Tệp đính kèm {contentId} không có nội dung.");
        if (contentId is null || name is null) throw new EdxmlException("Tệp đính kèm thiếu ContentId hoặc AttachmentName.");
        files[index] = files[index] with { Info = new EdxmlAttachment(contentId.Trim(), type?.Trim() ?? "application/octet-stream", name.Trim(), description, null) };
    }

    /// <summary>A short text field, read under a small ceiling: a huge one is refused, not held.</summary>
    private static string Small(XmlReader reader, BoundedStream bounded)
    {
        bounded.Ceiling = bounded.Position + FieldBytes;
        var text = reader.ReadElementContentAsString();
        bounded.Ceiling = null;
        return text;
    }

    private const int FieldBytes = 64 * 1024;

    private static EdxmlDocumentPackage ReadDocument(XmlElement envelope, XmlElement header, XmlNamespaceManager names)
    {
        var from = Organ(header.SelectSingleNode("e:From", names), "From");
        var to = header.SelectNodes("e:To", names)!.Cast<XmlNode>().Select(n => Organ(n, "To")).ToList();
        if (to.Count == 0) throw Missing("To");
        var documentId = Required(header, "e:DocumentId", names);
        if (!QcvnDocumentId.TryParse(documentId, out var parsedId)) throw new EdxmlException($"DocumentId không đúng dạng mã định danh cơ quan,yyyy/MM/dd,số/ký hiệu: {documentId}.");
        // An agency speaks only of its own documents: the id's issuer is the sender.
        if (parsedId.Value.OrganId != from.Id) throw new EdxmlException($"DocumentId {documentId} không phải văn bản của cơ quan gửi {from.Id}.");
        var business = header.ParentNode!.SelectSingleNode("e:TraceHeaderList/e:Bussiness", names);
        var businessType = Text(business, "e:BussinessDocType", names) is { } t ? ParseInt(t, "BussinessDocType") : 0;
        if (businessType is < 0 or > 3) throw new EdxmlException($"BussinessDocType {businessType} không thuộc 0–3.");
        var replaces = business?.SelectNodes("e:ReplacementInfoList/e:ReplacementInfo", names)!.Cast<XmlNode>()
            .Select(r => new EdxmlReplacement(Required(r, "e:DocumentId", names), [.. r.SelectNodes("e:OrganIdList/e:OrganId", names)!.Cast<XmlNode>().Select(o => o.InnerText.Trim())]))
            .ToList() ?? [];
        var attachments = envelope.SelectNodes("e:edXMLBody/e:edXMLManifest/e:Reference", names)!.Cast<XmlNode>().Select(r => new EdxmlAttachment(
            Required(r, "e:ContentId", names), Text(r, "e:ContentType", names) ?? "application/octet-stream", Text(r, "e:AttachmentName", names) ?? Required(r, "e:ContentId", names),
            Text(r, "e:Description", names), Text(r, "m:Sha256", names) is { } digest ? Base64(digest) : null)).ToList();
        var signer = header.SelectSingleNode("e:SignerInfo", names) is { } s
            ? new EdxmlSigner(Text(s, "e:Competence", names), Text(s, "e:Position", names), Text(s, "e:FullName", names)) : null;
        var documentHeader = new EdxmlDocumentHeader(from, to, documentId,
            Required(header, "e:Code/e:CodeNumber", names), Required(header, "e:Code/e:CodeNotation", names),
            Text(header, "e:PromulgationInfo/e:Place", names), Date(Required(header, "e:PromulgationInfo/e:PromulgationDate", names), "PromulgationDate"),
            Required(header, "e:DocumentType/e:TypeName", names), Required(header, "e:Subject", names), Text(header, "e:Content", names), signer,
            Text(header, "e:DueDate", names) is { } due ? Date(due, "DueDate") : null,
            Text(header, "e:OtherInfo/e:Priority", names) is { } p ? ParseInt(p, "Priority") : 0,
            [.. header.SelectNodes("e:ToPlaces/e:Place", names)!.Cast<XmlNode>().Select(n => n.InnerText.Trim())],
            Text(header, "e:SteeringType", names) is { } steering ? ParseInt(steering, "SteeringType") : 0,
            [.. header.SelectNodes("e:ResponseFor", names)!.Cast<XmlNode>().Select(r => ResponseFor(r, names))]);
        if (documentHeader.Priority is < 0 or > 4) throw new EdxmlException($"Độ khẩn {documentHeader.Priority} không thuộc 0–4.");
        Fits(documentHeader.Subject, 2000, "Subject");
        Fits(documentHeader.CodeNumber, 20, "CodeNumber");
        Fits(documentHeader.CodeNotation, 100, "CodeNotation");
        Fits(documentHeader.TypeName, 100, "TypeName");
        foreach (var organ in documentHeader.To.Prepend(from)) Fits(organ.Name, 300, "OrganName");
        if (documentHeader.To.Count > 200 || documentHeader.ToPlaces.Count > 50) throw new EdxmlException("Gói tin có quá nhiều nơi nhận.");
        foreach (var a in attachments) Fits(a.Name, 255, "AttachmentName");
        var stamp = Text(header.ParentNode!, "e:TraceHeaderList/e:TraceHeader/e:Timestamp", names);
        return new EdxmlDocumentPackage(documentHeader,
            new EdxmlBusiness((EdxmlBusinessType)businessType, Text(business, "e:BussinessDocReason", names), Text(business, "e:DocumentId", names), replaces,
                Text(business, "e:StaffInfo/e:Staff", names)),
            attachments, stamp is null ? default : Timestamp(stamp));
    }

    private static EdxmlStatusPackage ReadStatus(XmlElement header, XmlNamespaceManager names)
    {
        var code = Required(header, "e:StatusCode", names);
        if (!StatusCodes.Contains(code)) throw new EdxmlException($"Mã trạng thái {code} không thuộc 01–06, 13, 15, 16.");
        var responseFor = header.SelectSingleNode("e:ResponseFor", names) ?? throw Missing("ResponseFor");
        var status = new EdxmlStatusPackage(Organ(header.SelectSingleNode("e:From", names), "From"), ResponseFor(responseFor, names), code,
            Text(header, "e:Description", names), Timestamp(Required(header, "e:Timestamp", names)), Text(header, "e:StaffInfo/e:Staff", names));
        Fits(status.Description, 2000, "Description");
        Fits(status.From.Name, 300, "OrganName");
        return status;
    }

    /// <summary>Every attachment listed is present, every one present is listed, and where the manifest gives a digest, the bytes match it.</summary>
    private static void CheckFiles(IReadOnlyList<EdxmlAttachment> listed, List<EdxmlReceivedFile> files)
    {
        if (listed.Count != files.Count || listed.Select(a => a.ContentId).Distinct().Count() != listed.Count
            || files.Select(f => f.Info.ContentId).Distinct().Count() != files.Count)
            throw new EdxmlException($"Danh mục gói tin liệt kê {listed.Count} tệp, gói tin có {files.Count} tệp.");
        for (var i = 0; i < files.Count; i++)
        {
            var entry = listed.FirstOrDefault(a => a.ContentId == files[i].Info.ContentId) ?? throw new EdxmlException($"Tệp {files[i].Info.ContentId} không có trong danh mục gói tin.");
            if (entry.Sha256 is { } digest && !CryptographicOperations.FixedTimeEquals(digest, files[i].Sha256))
                throw new EdxmlException($"Tệp {entry.Name} không khớp với mã băm trong danh mục đã ký: tệp đã bị thay đổi.");
            files[i] = files[i] with { Info = entry };
        }
    }

    private static EdxmlResponseFor ResponseFor(XmlNode node, XmlNamespaceManager names)
    {
        var organ = Required(node, "e:OrganId", names);
        if (!AgencyCodes.IsValid(organ)) throw new EdxmlException($"Mã định danh cơ quan không hợp lệ: {organ}.");
        return new EdxmlResponseFor(organ, Text(node, "e:Code", names), Text(node, "e:PromulgationDate", names) is { } d ? Date(d, "PromulgationDate") : null,
            Required(node, "e:DocumentId", names));
    }

    private static EdxmlOrgan Organ(XmlNode? node, string element)
    {
        if (node is null) throw Missing(element);
        var names = new XmlNamespaceManager(node.OwnerDocument!.NameTable);
        names.AddNamespace("e", EdxmlNames.Namespace);
        var id = Required(node, "e:OrganId", names);
        if (!AgencyCodes.IsValid(id)) throw new EdxmlException($"Mã định danh cơ quan không hợp lệ trong {element}: {id}.");
        return new EdxmlOrgan(id, Text(node, "e:OrganName", names) ?? Text(node, "e:OrganizationInCharge", names) ?? id);
    }

    private static string Required(XmlNode node, string path, XmlNamespaceManager names) =>
        Text(node, path, names) ?? throw Missing(path.Replace("e:", "", StringComparison.Ordinal));

    private static string? Text(XmlNode? node, string path, XmlNamespaceManager names) =>
        node?.SelectSingleNode(path, names)?.InnerText.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>What is stored must fit where it is stored: a longer field is refused, not cut.</summary>
    private static void Fits(string? value, int max, string element)
    {
        if (value?.Length > max) throw new EdxmlException($"Trường {element} dài quá {max} ký tự.");
    }

    private static EdxmlException Missing(string element) => new($"Gói tin thiếu trường bắt buộc {element}.");

    private static int ParseInt(string text, string element) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw new EdxmlException($"{element} không phải số: {text}.");

    private static DateOnly Date(string text, string element) =>
        DateOnly.TryParseExact(text, EdxmlNames.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
            : throw new EdxmlException($"{element} không theo dạng yyyy/MM/dd: {text}.");

    private static DateTimeOffset Timestamp(string text) =>
        DateTime.TryParseExact(text, EdxmlNames.TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, MotCua.Domain.Dossiers.VietnamTime.Offset)
            : throw new EdxmlException($"Timestamp không theo dạng yyyy/MM/dd HH:mm:ss: {text}.");

    private static byte[] Base64(string text)
    {
        var bytes = new byte[32];
        return Convert.TryFromBase64String(text, bytes, out var written) && written == 32 ? bytes : throw new EdxmlException("Mã băm SHA-256 của tệp đính kèm không hợp lệ.");
    }

    /// <summary>How deep the tree goes, without recursion: a hostile envelope may nest thousands of levels.</summary>
    private static int Depth(XmlNode root)
    {
        var deepest = 0;
        var stack = new Stack<(XmlNode Node, int Depth)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            deepest = Math.Max(deepest, depth);
            for (var child = node.FirstChild; child is not null; child = child.NextSibling) stack.Push((child, depth + 1));
        }
        return deepest;
    }

    /// <summary>Refuses to read past the package's limit, or past a temporary ceiling (the envelope's).</summary>
    private sealed class BoundedStream(Stream inner, long limit) : Stream
    {
        public long? Ceiling { get; set; }
        public override long Position { get; set; }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            Position += read;
            if (Position > limit) throw new PackageTooLargeException($"Gói tin vượt quá {limit / (1024 * 1024)} MB.");
            if (Ceiling is { } ceiling && Position > ceiling) throw new PackageTooLargeException("Một phần của gói tin quá lớn (phần đầu edXMLEnvelope, thẻ gốc hoặc một trường của tệp đính kèm).");
            return read;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class PackageTooLargeException(string message) : IOException(message);
}
