using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;

namespace MotCua.FunctionApp.Tests.Infrastructure.ServiceBus;

/// <summary>
/// "AMQP 1.0 in Microsoft Azure Service Bus: request-response-based operations": the
/// <c>&lt;entity&gt;/$management</c> node of a queue or of its dead-letter sub-queue. Requests carry
/// <c>operation</c> (and the client's <c>associated-link-name</c>, <c>com.microsoft:server-timeout</c>
/// and <c>com.microsoft:tracking-id</c>, which are accepted and not needed here) in their application
/// properties and an AMQP map as body; responses carry <c>statusCode</c>, <c>statusDescription</c>
/// and, on failure, <c>errorCondition</c>.
/// </summary>
internal sealed class ManagementNode(Broker broker, BrokerQueue queue)
{
    private static readonly MapKey LockTokens = new("lock-tokens");
    private static readonly MapKey Expirations = new("expirations");
    private static readonly MapKey Messages = new("messages");
    private static readonly MapKey Message = new("message");
    private static readonly MapKey SequenceNumbers = new("sequence-numbers");
    private static readonly MapKey FromSequenceNumber = new("from-sequence-number");
    private static readonly MapKey MessageCount = new("message-count");
    private static readonly MapKey DispositionStatus = new("disposition-status");
    private static readonly MapKey DeadLetterReason = new("deadletter-reason");
    private static readonly MapKey DeadLetterDescription = new("deadletter-description");
    private static readonly MapKey PropertiesToModify = new("properties-to-modify");

    public AmqpMessage Handle(AmqpMessage request)
    {
        var operation = request.ApplicationProperties.Map["operation"] as string;
        var body = request.ValueBody?.Value as AmqpMap ?? new AmqpMap();
        try
        {
            return operation switch
            {
                "com.microsoft:renew-lock" => RenewLock(request, body),
                "com.microsoft:update-disposition" => UpdateDisposition(request, body),
                "com.microsoft:peek-message" => PeekMessage(request, body),
                "com.microsoft:schedule-message" => ScheduleMessage(request, body),
                "com.microsoft:cancel-scheduled-message" => CancelScheduledMessage(request, body),
                _ => Response(request, 501, $"The operation '{operation}' is not implemented by this broker.", "amqp:not-implemented"),
            };
        }
        catch (Exception ex) when (ex is InvalidCastException or NullReferenceException or InvalidDataException or ArgumentException)
        {
            return Response(request, 400, $"The request for '{operation}' is malformed: {ex.Message}", "amqp:invalid-field");
        }
    }

    // Request-response operations: com.microsoft:renew-lock — lock-tokens (uuid[]) in, expirations (timestamp[]) out.
    private AmqpMessage RenewLock(AmqpMessage request, AmqpMap body)
    {
        var tokens = (Guid[])body[LockTokens];
        return broker.RenewLocks(queue, tokens) is { } expirations
            ? Response(request, 200, "OK", new AmqpMap { [Expirations] = expirations })
            : LockLost(request);
    }

    // Request-response operations: com.microsoft:update-disposition — settles by lock token when the
    // receive link that delivered the message is gone (disposition-status completed, abandoned,
    // suspended (dead-letter) or defered, with deadletter-reason, deadletter-description and properties-to-modify).
    private AmqpMessage UpdateDisposition(AmqpMessage request, AmqpMap body)
    {
        var tokens = (Guid[])body[LockTokens];
        var settlement = (body[DispositionStatus] as string) switch
        {
            "completed" => Settlement.Complete,
            "abandoned" => Settlement.Abandon,
            "suspended" => Settlement.DeadLetter,
            "defered" or "deferred" => Settlement.Defer,
            var other => throw new InvalidDataException($"Unknown disposition-status '{other}'."),
        };
        var properties = body[PropertiesToModify] is AmqpMap map
            ? map.ToDictionary(p => p.Key.Key.ToString()!, p => (object?)p.Value)
            : null;
        broker.Record("update-disposition", queue.Path, body[DispositionStatus] as string);
        var settled = tokens.All(token => broker.Settle(queue, token, settlement, properties,
            body[DeadLetterReason] as string, body[DeadLetterDescription] as string));
        return settled ? Response(request, 200, "OK") : LockLost(request);
    }

    // Request-response operations: com.microsoft:peek-message — from-sequence-number and message-count in,
    // messages (list of maps with the encoded message) out, or 204 when there is none.
    private AmqpMessage PeekMessage(AmqpMessage request, AmqpMap body)
    {
        var from = Convert.ToInt64(body[FromSequenceNumber], System.Globalization.CultureInfo.InvariantCulture);
        var count = Convert.ToInt32(body[MessageCount], System.Globalization.CultureInfo.InvariantCulture);
        var payloads = broker.Peek(queue, from, count);
        if (payloads.Count == 0) return Response(request, 204, "No messages");
        var list = payloads.Select(p => (object)new AmqpMap { [Message] = new ArraySegment<byte>(p) }).ToList();
        return Response(request, 200, "OK", new AmqpMap { [Messages] = list });
    }

    // Request-response operations: com.microsoft:schedule-message — messages (maps with message-id and the
    // encoded message carrying x-opt-scheduled-enqueue-time) in, sequence-numbers (long[]) out.
    private AmqpMessage ScheduleMessage(AmqpMessage request, AmqpMap body)
    {
        if (queue.DeadLetterQueue is null) return Response(request, 400, "Messages cannot be scheduled on a dead-letter sub-queue.", "amqp:not-allowed");
        var messages = ((IEnumerable<object>)body[Messages]).Cast<AmqpMap>()
            .Select(m => BrokerMessage.FromPayload(((ArraySegment<byte>)m[Message]).ToArray())).ToList();
        var numbers = broker.Enqueue(queue, messages, scheduledOnly: true);
        return Response(request, 200, "OK", new AmqpMap { [SequenceNumbers] = numbers.ToArray() });
    }

    // Request-response operations: com.microsoft:cancel-scheduled-message — sequence-numbers (long[]) in.
    private AmqpMessage CancelScheduledMessage(AmqpMessage request, AmqpMap body)
    {
        broker.CancelScheduled(queue, (long[])body[SequenceNumbers]);
        return Response(request, 200, "OK");
    }

    private static AmqpMessage LockLost(AmqpMessage request) =>
        Response(request, 410, "The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.",
            "com.microsoft:message-lock-lost");

    private static AmqpMessage Response(AmqpMessage request, int status, string description, string? errorCondition = null) =>
        Response(request, status, description, new AmqpMap(), errorCondition);

    private static AmqpMessage Response(AmqpMessage request, int status, string description, AmqpMap body, string? errorCondition = null)
    {
        var response = AmqpMessage.Create(new AmqpValue { Value = body });
        response.Properties.CorrelationId = request.Properties.MessageId;
        response.ApplicationProperties = new ApplicationProperties();
        response.ApplicationProperties.Map["statusCode"] = status;
        response.ApplicationProperties.Map["statusDescription"] = description;
        if (errorCondition is not null) response.ApplicationProperties.Map["errorCondition"] = new AmqpSymbol(errorCondition);
        return response;
    }
}
