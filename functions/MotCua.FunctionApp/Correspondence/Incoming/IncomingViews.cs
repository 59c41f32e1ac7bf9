using System.Text.Json;
using MotCua.Domain.Correspondence;

namespace MotCua.FunctionApp.Correspondence.Incoming;

public sealed record StatusRef(string Code, string Name);

public sealed record PriorityRef(int Value, string Name);

public sealed record RegisterRef(int Year, int Number, DateTimeOffset RegisteredAt);

public sealed record DirectionView(string DirectedBy, string DirectedByName, string? OnBehalfOf, DateTimeOffset DirectedAt, string? LeadUnit, string? LeadUser,
    IReadOnlyList<string> CoHandlers, IReadOnlyList<string> Informed, string? DueDate, string Comment);

public sealed record HandlingView(string? Assignee, string? AssigneeDueDate, string? LastProgress, DateTimeOffset? LastProgressAt, DateTimeOffset? FinishedAt,
    string? Result, string? ReplyDocumentId, bool? FinishedLate);

public sealed record IncomingFileView(string DocumentId, string FileName, long Length, string Stage, string? SignatureVerdict, int? Pages);

public sealed record IncomingHistoryView(int Sequence, DateTimeOffset At, string Actor, string Action, string From, string To, string Comment);

/// <summary>One incoming document for the phone and the web: what it is, where it stands, its files (pages fetched on demand) and its recent history.</summary>
public sealed record IncomingView(string Id, int Version, StatusRef Status, string Channel, bool Secret, PriorityRef Priority, DateTimeOffset ArrivedAt,
    string? SenderId, string? SenderName, string? Number, string? Notation, string? DocumentDate, string? DocumentType, string? Summary, string? SourceDocumentId,
    RegisterRef? Register, string? ReturnReason, LetterFields? Suggestion, IReadOnlyList<IncomingFileView> Files, DirectionView? Direction, HandlingView? Handling,
    int HistoryCount, IReadOnlyList<IncomingHistoryView> History, bool HistoryIntact, OriginView? Origin = null);

/// <summary>For a document sent by an agency of this deployment: its outgoing document there, the one of ours it answers, and its recall.</summary>
public sealed record OriginView(string OutgoingId, string? InReplyToOutgoingId, DateTimeOffset? RecalledAt, string? RecallReason);

/// <summary>A line of a list: enough to decide what to open.</summary>
public sealed record IncomingListItem(string Id, int Version, string Status, int Priority, DateTimeOffset ArrivedAt, string? SenderName, string? Number,
    string? Notation, string? Summary, int? RegisterNumber, string? DueDate);

public sealed record IncomingPage(IReadOnlyList<IncomingListItem> Items, string? Next);

public static class IncomingViewMapping
{
    /// <summary>The latest entries only: the phone's view stays small however long the history grows.</summary>
    public const int HistoryShown = 10;

    public static IncomingView View(IncomingDocumentEntity d, IReadOnlyList<IncomingFileView> files, IReadOnlyList<IncomingHistoryEntry> history) => new(
        d.Id, d.Version, new StatusRef(d.State.Code(), d.State.Name()), d.Channel, d.Secret, new PriorityRef(d.Priority, DocumentPriority.Name(d.Priority)), d.ArrivedAt,
        d.SenderId, d.SenderName, d.Number, d.Notation, d.DocumentDate, d.DocumentType, d.Summary, d.SourceDocumentId,
        d.RegisterNumber is { } n ? new RegisterRef(d.RegisterYear!.Value, n, d.RegisteredAt!.Value) : null,
        d.ReturnReason,
        d.Suggestion is null ? null : JsonSerializer.Deserialize<LetterFields>(d.Suggestion, JsonSerializerOptions.Web),
        files,
        d.DirectedAt is { } at ? new DirectionView(d.DirectedBy!, d.DirectedByName ?? d.DirectedBy!, d.OnBehalfOf, at, d.LeadUnit, d.LeadUser,
            IncomingLists.Split(d.CoHandlers), IncomingLists.Split(d.Informed), d.DueDate, d.DirectionComment ?? string.Empty) : null,
        d.DirectedAt is null ? null : new HandlingView(d.Assignee, d.AssigneeDueDate, d.LastProgress, d.LastProgressAt, d.FinishedAt, d.Result, d.ReplyDocumentId, d.FinishedLate),
        d.Version,
        [.. history.OrderByDescending(e => e.Sequence).Take(HistoryShown)
            .Select(e => new IncomingHistoryView(e.Sequence, e.At, e.Actor, e.Action, e.From.Code(), e.To.Code(), e.Comment))],
        IncomingHistoryEntry.FindFirstBreak(history) is null,
        d.OriginOutgoingId is { } origin ? new OriginView(origin, d.InReplyToOutgoingId, d.RecalledAt, d.RecallReason) : null);

    public static IncomingListItem Item(IncomingDocumentEntity d) => new(d.Id, d.Version, d.State.Code(), d.Priority, d.ArrivedAt, d.SenderName, d.Number, d.Notation,
        d.Summary is { Length: > 200 } summary ? summary[..200] + "…" : d.Summary, d.RegisterNumber, d.AssigneeDueDate ?? d.DueDate);
}
