using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Correspondence.Exchange.Edxml;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Correspondence.Outgoing;
using MotCua.FunctionApp.Issuance;

namespace MotCua.FunctionApp.Correspondence.Exchange;

/// <summary>What MotCua's documents and steps say in edXML: an issued document's header and files, and a received document's status.</summary>
public sealed class ExchangePackages(OutgoingAccess access, IncomingStore incoming, ResultFiles files)
{
    /// <summary>An outgoing document's package for <paramref name="recipients"/>, with the opener of its files (the document, then its attachments) for a recall, none.</summary>
    public async Task<(EdxmlDocumentPackage Package, Func<int, CancellationToken, Task<Stream>> Open)> DocumentAsync(OutgoingDocumentEntity d, EdxmlBusinessType business,
        IReadOnlyList<EdxmlOrgan> recipients, IReadOnlyList<EdxmlReplacement> replaces, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sender = await access.UnitAsync(d.Agency, cancellationToken);
        List<EdxmlResponseFor> answers = [];
        if (d.AnswersIncomingId is { } answered && IncomingDocumentId.TryParse(answered, out var answeredId)
            && await incoming.FindAsync(answeredId.Value, cancellationToken) is { SourceDocumentId: { } source, SenderId: { } answeredSender } answeredDoc)
        {
            answers.Add(new EdxmlResponseFor(answeredSender, $"{answeredDoc.Number}/{answeredDoc.Notation}", Days.Parse(answeredDoc.DocumentDate), source));
        }
        var header = new EdxmlDocumentHeader(new EdxmlOrgan(d.Agency, sender?.Name ?? d.Agency), recipients, d.QcvnId!, DocumentNumbering.Number(d.Number!.Value), d.Notation!,
            null, Days.Parse(d.IssueDate)!.Value, d.DocumentType, d.Summary, d.Summary,
            new EdxmlSigner(d.SigningAuthority, d.SignerPosition, d.SignedByName), Days.Parse(d.DueDate), d.Priority,
            OutgoingViewMapping.OtherRecipients(d), 0, answers);
        var reason = business switch
        {
            EdxmlBusinessType.Recall => d.RecallReason ?? "Thu hồi văn bản điện tử",
            EdxmlBusinessType.Update => "Cập nhật thông tin văn bản điện tử",
            EdxmlBusinessType.Replace => "Văn bản thay thế",
            _ => "Văn bản điện tử mới",
        };
        var issued = business is EdxmlBusinessType.Recall or EdxmlBusinessType.Update ? []
            : new List<(string Name, string Blob)> { (d.FileName ?? "van-ban.pdf", d.IssuedBlob!) }
                .Concat(OutgoingViewMapping.Attachments(d.IssuedAttachments).Select(a => (Name: a.FileName, a.Blob))).ToList();
        var attachments = issued.Select((f, i) => new EdxmlAttachment($"cid:{i + 1}", "application/pdf", f.Name, f.Name, null)).ToList();
        var package = new EdxmlDocumentPackage(header, new EdxmlBusiness(business, reason, d.QcvnId, replaces, d.NumberedBy), attachments, now);
        return (package, async (index, ct) => await files.OpenReadAsync(issued[index].Blob, ct));
    }

    /// <summary>A status of a received document, reported to the agency that sent it.</summary>
    public async Task<EdxmlStatusPackage> StatusAsync(IncomingDocumentEntity doc, string code, string? description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var agency = await access.UnitAsync(doc.Agency, cancellationToken);
        return new EdxmlStatusPackage(new EdxmlOrgan(doc.Agency, agency?.Name ?? doc.Agency),
            new EdxmlResponseFor(doc.SenderId!, $"{doc.Number}/{doc.Notation}", Days.Parse(doc.DocumentDate), doc.SourceDocumentId!), code, description, now, null);
    }

    /// <summary>An answer (15, 16) to a recall, update or replacement, about a document that may never have arrived here.</summary>
    public async Task<EdxmlStatusPackage> AnswerAsync(string agency, EdxmlResponseFor answered, string code, string? description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var unit = await access.UnitAsync(agency, cancellationToken);
        return new EdxmlStatusPackage(new EdxmlOrgan(agency, unit?.Name ?? agency), answered, code, description, now, null);
    }
}
