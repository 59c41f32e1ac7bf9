using System.Text.Json;
using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Correspondence.Incoming;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

public sealed record RecipientForm(string Agency, string? Name = null);

public sealed record RecipientView(string Recipient, string Name, bool Internal, StatusRef? Status, DateTimeOffset? UpdatedAt, string? IncomingId, string? Reason,
    string? ReplyIncomingId, StatusRef? UpdateAnswer = null);

public sealed record SignedView(string SignedBy, string SignedByName, DateTimeOffset SignedAt, string? SigningAuthority, string? Position);

public sealed record NumberView(int Year, int Number, string Notation, string Symbol, string IssueDate, string Series);

/// <summary>One outgoing document for the phone and the web: what it is, where it stands, who signs it, its number and each recipient's status.</summary>
public sealed record OutgoingView(string Id, int Version, StatusRef Status, string DocumentType, bool LegalNormative, bool Secret, PriorityRef Priority,
    string Summary, string? DueDate, string? AnswersIncomingId, IReadOnlyList<RecipientView> Recipients, IReadOnlyList<string> OtherRecipients,
    string DraftedBy, string DraftedByName, string DraftingUnit, string? Reviewer, string Signer, int Revision, string? FileName, long? FileLength,
    string? LastComment, SignedView? Signed, NumberView? Numbered, DateTimeOffset? IssuedAt, DateTimeOffset? RecalledAt, string? RecallReason,
    IReadOnlyList<OutgoingHistoryView> History, string? Replaces = null, string? ReplacedBy = null, IReadOnlyList<AttachmentView>? Attachments = null);

/// <summary>An attachment (phụ lục): its number (1 on), name and size; issued ones carry the agency's seal with the copy stamp.</summary>
public sealed record AttachmentView(int Number, string FileName, long Length);

public sealed record OutgoingListItem(string Id, int Version, string Status, int Priority, DateTimeOffset DraftedAt, string DocumentType, string? Summary,
    string? Symbol, string DraftedByName, string Signer);

public sealed record OutgoingPage(IReadOnlyList<OutgoingListItem> Items);

public static class OutgoingViewMapping
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<RecipientForm> Recipients(OutgoingDocumentEntity d) => JsonSerializer.Deserialize<List<RecipientForm>>(d.Recipients, Json) ?? [];

    public static IReadOnlyList<string> OtherRecipients(OutgoingDocumentEntity d) =>
        d.OtherRecipients is null ? [] : JsonSerializer.Deserialize<List<string>>(d.OtherRecipients, Json) ?? [];

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static IReadOnlyList<OutgoingAttachment> Attachments(string? column) =>
        string.IsNullOrEmpty(column) ? [] : JsonSerializer.Deserialize<List<OutgoingAttachment>>(column, Json) ?? [];

    /// <summary>The standard's name for a recipient's status code, with the recall answers.</summary>
    public static StatusRef RecipientStatus(int code) => code switch
    {
        15 => new("15", "Đã thu hồi"),
        16 => new("16", "Không thu hồi được"),
        _ => new(((IncomingStatus)code).Code(), ((IncomingStatus)code) switch
        {
            IncomingStatus.Arrived => "Đã đến",
            IncomingStatus.Returned => "Bị từ chối",
            IncomingStatus.Registered => "Đã vào sổ",
            IncomingStatus.Directed => "Đã phân công",
            IncomingStatus.InProgress => "Đang xử lý",
            IncomingStatus.Finished => "Đã xử lý xong",
            _ => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }),
    };

    public static StatusRef UpdateAnswer(int code) => code == 15 ? new("15", "Đã cập nhật") : new("16", "Không cập nhật được");

    public static OutgoingView View(OutgoingDocumentEntity d, IReadOnlyList<OutgoingRecipientEntity> recipientRows, IReadOnlyList<OutgoingHistoryView> history)
    {
        var rows = recipientRows.ToDictionary(r => r.Recipient);
        var recipients = Recipients(d).Select(r => rows.TryGetValue(r.Agency, out var row)
            ? new RecipientView(r.Agency, row.Name, row.Internal, row.Status == 0 ? null : RecipientStatus(row.Status), row.UpdatedAt, row.IncomingId, row.Reason, row.ReplyIncomingId,
                row.UpdateAnswer is { } answer ? UpdateAnswer(answer) : null)
            : new RecipientView(r.Agency, r.Name ?? r.Agency, false, null, null, null, null, null)).ToList();
        return new OutgoingView(d.Id, d.Version, new StatusRef(d.State.Code(), d.State.Name()), d.DocumentType, d.LegalNormative, d.Secret,
            new PriorityRef(d.Priority, DocumentPriority.Name(d.Priority)), d.Summary, d.DueDate, d.AnswersIncomingId, recipients, OtherRecipients(d),
            d.DraftedBy, d.DraftedByName, d.DraftingUnit, d.Reviewer, d.Signer, d.Revision, d.DraftBlob is null ? null : d.FileName,
            d.DraftBlob is null ? null : d.DraftLength, d.LastComment,
            d.SignedBy is null ? null : new SignedView(d.SignedBy, d.SignedByName!, d.SignedAt!.Value, d.SigningAuthority, d.SignerPosition),
            d.Number is { } n ? new NumberView(d.Year!.Value, n, d.Notation!, d.Symbol!, d.IssueDate!, d.Series!) : null,
            d.IssuedAt, d.RecalledAt, d.RecallReason, history, d.Replaces, d.ReplacedBy,
            [.. Attachments(d.IssuedAttachments ?? d.Attachments).Select((a, i) => new AttachmentView(i + 1, a.FileName, a.Length))]);
    }

    public static OutgoingListItem Item(OutgoingDocumentEntity d) =>
        new(d.Id, d.Version, d.State.Code(), d.Priority, d.DraftedAt, d.DocumentType, d.Secret ? null : d.Summary, d.Symbol, d.DraftedByName, d.Signer);
}
