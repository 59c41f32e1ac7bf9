using Azure;
using Azure.Data.Tables;
using MotCua.FunctionApp.Dossiers;

namespace MotCua.FunctionApp.Outbox;

/// <summary>A message waiting in its dossier's partition, written in the same batch as the change that caused it.</summary>
public sealed class OutboxEntity : ITableEntity
{
    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string MessageId { get; set; } = default!;
    public string Queue { get; set; } = default!;
    public string Subject { get; set; } = default!;
    public string Body { get; set; } = default!;
    public string? TraceParent { get; set; }

    public static OutboxEntity Create(string dossierCode, string queue, string subject, BinaryData body, string? traceParent)
    {
        var messageId = Guid.CreateVersion7().ToString("N");
        return new OutboxEntity
        {
            PartitionKey = dossierCode,
            RowKey = DossierRows.Outbox(messageId),
            MessageId = messageId,
            Queue = queue,
            Subject = subject,
            Body = body.ToString(),
            TraceParent = traceParent,
        };
    }
}

/// <summary>
/// "This dossier has unsent outbox messages": written before the batch, removed after dispatch.
/// The sweep reads this one small partition every run, and scans every dossier only now and then.
/// </summary>
public static class PendingOutbox
{
    public const string Partition = "pending";

    public static TableEntity For(string dossierCode) => new(Partition, dossierCode);
}
