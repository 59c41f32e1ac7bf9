using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MotCua.FunctionApp.Correspondence.Exchange.Edxml;

namespace MotCua.FunctionApp.Tests.Exchange;

/// <summary>Packages the tests write: MotCua's own, and ones shaped like the exchange SDK's published samples.</summary>
public static class EdxmlPackages
{
    public const string From = "000.20.30.H56";
    public const string To = "000.00.05.H56";
    public const string DocumentId = "000.20.30.H56,2026/12/02,15/UBND-VHXH";

    public static EdxmlDocumentPackage Letter(int attachments = 1, EdxmlBusinessType business = EdxmlBusinessType.New, string documentId = DocumentId) => new(
        new EdxmlDocumentHeader(new EdxmlOrgan(From, "Ủy ban nhân dân phường Nha Trang"), [new EdxmlOrgan(To, "Sở Nội vụ tỉnh Khánh Hòa")], documentId,
            "15", "UBND-VHXH", "Nha Trang", new DateOnly(2026, 12, 2), "Công văn", "V/v tổ chức Ngày hội Đại đoàn kết toàn dân tộc", null,
            new EdxmlSigner("TM. ỦY BAN NHÂN DÂN", "Chủ tịch", "Lê Văn Hùng"), new DateOnly(2026, 12, 15), 1, ["Lưu: VT, VHXH."], 0, []),
        new EdxmlBusiness(business, "Văn bản điện tử mới", documentId, [], "Hoàng Thị Mai"),
        [.. Enumerable.Range(1, attachments).Select(i => new EdxmlAttachment($"cid:{i}", "application/pdf", $"van-ban-{i}.pdf", null, null))],
        new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero));

    public static async Task<byte[]> WriteAsync(EdxmlDocumentPackage package, X509Certificate2 signer, Func<int, byte[]>? content = null)
    {
        using var output = new MemoryStream();
        await EdxmlWriter.WriteDocumentAsync(output, package, (i, _) => Task.FromResult<Stream>(new MemoryStream(content?.Invoke(i) ?? Encoding.UTF8.GetBytes($"%PDF-1.7 tệp {i}"))),
            signer, CancellationToken.None);
        return output.ToArray();
    }

    public static byte[] Status(EdxmlStatusPackage status, X509Certificate2 signer)
    {
        using var output = new MemoryStream();
        EdxmlWriter.WriteStatus(output, status, signer);
        return output.ToArray();
    }

    /// <summary>
    /// A package laid out as the SDK's edoc_new.edxml is: the default namespace on the root, the edXML
    /// prefix declared on the envelope, the full organ blocks, OtherInfo with Appendixes, the trace list's
    /// Bussiness with StaffInfo, the manifest, and AttachmentEncoded unprefixed with an edXML:ContentTransferEncoded.
    /// Signed as MotCua signs (the envelope, the attachment by its digest).
    /// </summary>
    public static byte[] SampleShaped(X509Certificate2 signer, byte[] attachment, string business = "0", string? replaced = null)
    {
        var digest = Convert.ToBase64String(SHA256.HashData(attachment));
        var replacement = replaced is null ? "" : $"""
            <edXML:ReplacementInfoList><edXML:ReplacementInfo><edXML:DocumentId>{replaced}</edXML:DocumentId><edXML:OrganIdList><edXML:OrganId>{To}</edXML:OrganId></edXML:OrganIdList></edXML:ReplacementInfo></edXML:ReplacementInfoList>
            """;
        var envelope = $"""
            <edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
                <edXML:edXMLHeader>
                  <edXML:MessageHeader>
                    <edXML:From>
                      <edXML:OrganId>{From}</edXML:OrganId>
                      <edXML:OrganizationInCharge>UBND phường Nha Trang - Tỉnh Khánh Hòa</edXML:OrganizationInCharge>
                      <edXML:OrganName>Ủy ban nhân dân phường Nha Trang</edXML:OrganName>
                      <edXML:OrganAdd>Số 1 Trần Phú, Nha Trang</edXML:OrganAdd>
                      <edXML:Email>vanthu@nhatrang.khanhhoa.gov.vn</edXML:Email>
                      <edXML:Telephone>0258 3822 000</edXML:Telephone>
                      <edXML:Fax>0258 3822 001</edXML:Fax>
                      <edXML:Website>nhatrang.khanhhoa.gov.vn</edXML:Website>
                    </edXML:From>
                    <edXML:To>
                      <edXML:OrganId>{To}</edXML:OrganId>
                      <edXML:OrganizationInCharge>Sở Nội vụ tỉnh Khánh Hòa</edXML:OrganizationInCharge>
                      <edXML:OrganName>Sở Nội vụ tỉnh Khánh Hòa</edXML:OrganName>
                    </edXML:To>
                    <edXML:DocumentId>{DocumentId}</edXML:DocumentId>
                    <edXML:Code>
                      <edXML:CodeNumber>15</edXML:CodeNumber>
                      <edXML:CodeNotation>UBND-VHXH</edXML:CodeNotation>
                    </edXML:Code>
                    <edXML:PromulgationInfo>
                      <edXML:Place>Nha Trang</edXML:Place>
                      <edXML:PromulgationDate>2026/12/02</edXML:PromulgationDate>
                    </edXML:PromulgationInfo>
                    <edXML:DocumentType>
                      <edXML:Type>1</edXML:Type>
                      <edXML:TypeDetail>0</edXML:TypeDetail>
                      <edXML:TypeName>Công văn</edXML:TypeName>
                    </edXML:DocumentType>
                    <edXML:Subject>V/v kết nối, liên thông phần mềm quản lý văn bản</edXML:Subject>
                    <edXML:Content>V/v kết nối, liên thông phần mềm quản lý văn bản</edXML:Content>
                    <edXML:SignerInfo>
                      <edXML:Competence>TM. ỦY BAN NHÂN DÂN</edXML:Competence>
                      <edXML:Position>Chủ tịch</edXML:Position>
                      <edXML:FullName>Lê Văn Hùng</edXML:FullName>
                    </edXML:SignerInfo>
                    <edXML:DueDate>2026/12/20</edXML:DueDate>
                    <edXML:OtherInfo>
                      <edXML:Priority>2</edXML:Priority>
                      <edXML:SphereOfPromulgation>Liên thông văn bản quốc gia</edXML:SphereOfPromulgation>
                      <edXML:TyperNotation>VT</edXML:TyperNotation>
                      <edXML:PromulgationAmount>2</edXML:PromulgationAmount>
                      <edXML:PageAmount>1</edXML:PageAmount>
                      <edXML:Direction>false</edXML:Direction>
                      <edXML:Appendixes>
                        <edXML:Appendix>Công văn về việc kết nối, liên thông</edXML:Appendix>
                      </edXML:Appendixes>
                    </edXML:OtherInfo>
                    <edXML:SteeringType>1</edXML:SteeringType>
                    <edXML:ToPlaces>
                      <edXML:Place>Các sở, ban, ngành</edXML:Place>
                    </edXML:ToPlaces>
                  </edXML:MessageHeader>
                  <edXML:TraceHeaderList>
                    <edXML:TraceHeader>
                      <edXML:OrganId>{From}</edXML:OrganId>
                      <edXML:Timestamp>2026/12/02 09:30:00</edXML:Timestamp>
                    </edXML:TraceHeader>
                    <edXML:Bussiness>
                      <edXML:DocumentId>{DocumentId}</edXML:DocumentId>
                      <edXML:BussinessDocType>{business}</edXML:BussinessDocType>
                      <edXML:BussinessDocReason>Văn bản điện tử mới</edXML:BussinessDocReason>
                      <edXML:Paper>0</edXML:Paper>{replacement}
                      <edXML:StaffInfo>
                        <edXML:Department>Văn thư văn phòng</edXML:Department>
                        <edXML:Staff>Hoàng Thị Mai</edXML:Staff>
                        <edXML:Email>vanthu@nhatrang.khanhhoa.gov.vn</edXML:Email>
                        <edXML:Mobile>84912000001</edXML:Mobile>
                      </edXML:StaffInfo>
                    </edXML:Bussiness>
                  </edXML:TraceHeaderList>
                </edXML:edXMLHeader>
                <edXML:edXMLBody>
                  <edXML:edXMLManifest version="1.0">
                    <edXML:Reference>
                      <edXML:ContentId>cid:209</edXML:ContentId>
                      <edXML:ContentType>application/pdf</edXML:ContentType>
                      <edXML:Description>cong-van.pdf</edXML:Description>
                      <edXML:AttachmentName>cong-van.pdf</edXML:AttachmentName>
                      <motcua:Sha256 xmlns:motcua="urn:motcua:edxml:1">{digest}</motcua:Sha256>
                    </edXML:Reference>
                  </edXML:edXMLManifest>
                </edXML:edXMLBody>
              </edXML:edXMLEnvelope></edXML>
            """;
        var document = new System.Xml.XmlDocument { PreserveWhitespace = true };
        document.LoadXml(envelope);
        EdxmlSignature.Sign(document, signer);
        var signedEnvelope = document.DocumentElement!.InnerXml;
        return Encoding.UTF8.GetBytes($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
              {signedEnvelope}
              <AttachmentEncoded>
                <Attachment>
                  <ContentId>cid:209</ContentId>
                  <AttachmentName>cong-van.pdf</AttachmentName>
                  <Description>cong-van.pdf</Description>
                  <ContentType>application/pdf</ContentType>
                  <edXML:ContentTransferEncoded xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">{Convert.ToBase64String(attachment)}</edXML:ContentTransferEncoded>
                </Attachment>
              </AttachmentEncoded>
            </edXML>
            """);
    }
}
