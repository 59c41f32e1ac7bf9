using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Outbox;

namespace MotCua.FunctionApp.Dossiers;

/// <summary>
/// Queue step: the dossier's documents are stored, so intake is over and the dossier is registered.
/// The status decides: a second delivery finds the dossier registered and does nothing.
/// </summary>
public sealed class DocumentReceivedFunction(DossierStore dossiers, OutboxDispatcher outbox, ILogger<DocumentReceivedFunction> logger)
    : IQueueHandler<DocumentReceivedMessage>
{
    public const string Actor = "system";

    public static readonly FunctionDeclaration Declaration = new("DocumentReceived", new QueueTrigger(QueueNames.DocumentReceived));

    public async Task HandleAsync(QueueMessage<DocumentReceivedMessage> message, CancellationToken cancellationToken)
    {
        System.Diagnostics.Activity.Current?.SetTag("motcua.dossier.code", message.Body.DossierCode);

        var result = await dossiers.ApplyAsync(message.Body.DossierCode, expectedVersion: null,
            (d, _) => ValueTask.FromResult(DocumentIntake.OnDocumentsReceived((DossierStatus)d.Status, d.DocumentCount) is { } change ? new DossierChange(change) : null),
            Actor, causedBy: message.MessageId, cancellationToken);
        if (result.Outbox is { } messages) await outbox.DispatchAsync(message.Body.DossierCode, messages, result.PendingMark, cancellationToken);
        // NotFound cannot heal by retrying: the dossier batch is written before its outbox is sent.
        DossierLog.StepHandled(logger, message.Body.DossierCode, DocumentIntake.Action, result.Outcome, message.MessageId);
    }
}
