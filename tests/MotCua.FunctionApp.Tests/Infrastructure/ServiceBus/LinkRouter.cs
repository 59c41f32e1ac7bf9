using System.Collections.Concurrent;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Azure.Amqp.Transaction;
using Microsoft.Azure.Amqp.Transport;

namespace MotCua.FunctionApp.Tests.Infrastructure.ServiceBus;

public sealed partial class LocalServiceBus
{
    /// <summary>
    /// Protocol guide, "Links" and "Claims-based authorization": turns each attach into the broker's
    /// end of a link. <c>$cbs</c> and <c>&lt;entity&gt;/$management</c> are request-response nodes
    /// (requests arrive on one link, answers go back on the link whose target is the request's
    /// reply-to); any other address is a queue or its dead-letter sub-queue. An undeclared entity
    /// is refused with amqp:not-found, an entity without a valid token on the connection with
    /// amqp:unauthorized-access (the attach is answered, then detached with that error).
    /// </summary>
    private sealed class LinkRouter(LocalServiceBus bus) : IRuntimeProvider
    {
        private const string ManagementSuffix = "/$management";
        private const int MaxMessageSize = 256 * 1024;
        private readonly ConcurrentDictionary<string, SendingAmqpLink> _replyLinks = new();
        private Broker Broker => bus._broker;

        public AmqpConnection CreateConnection(TransportBase transport, ProtocolHeader protocolHeader, bool isInitiator,
            AmqpSettings amqpSettings, AmqpConnectionSettings connectionSettings) =>
            new(transport, protocolHeader, isInitiator, amqpSettings, connectionSettings);

        public AmqpSession CreateSession(AmqpConnection connection, AmqpSessionSettings settings) => new(connection, settings, this);

        public AmqpLink CreateLink(AmqpSession session, AmqpLinkSettings settings)
        {
            var connection = session.Connection;
            var brokerReceives = settings.Role == true;
            var address = ((brokerReceives ? (settings.Target as Target)?.Address : (settings.Source as Source)?.Address)?.ToString() ?? string.Empty).Trim('/');
            if (address == "$cbs")
                return brokerReceives ? RequestLink(session, settings, request => bus._cbs.PutToken(connection, request)) : ReplyLink(session, settings);

            var management = address.EndsWith(ManagementSuffix, StringComparison.OrdinalIgnoreCase);
            var entityPath = management ? address[..^ManagementSuffix.Length] : address;
            if (Broker.Find(entityPath) is not { } queue)
            {
                Broker.Record("attach-refused", address, "amqp:not-found");
                throw new AmqpException(AmqpErrorCode.NotFound, $"The messaging entity '{entityPath}' could not be found.");
            }
            if (!bus._cbs.IsAuthorized(connection, address))
            {
                Broker.Record("attach-refused", address, "amqp:unauthorized-access");
                throw new AmqpException(AmqpErrorCode.UnauthorizedAccess, $"Unauthorized access to '{address}': no valid token was put for it on this connection.");
            }
            if (management)
            {
                var node = new ManagementNode(Broker, queue);
                return brokerReceives ? RequestLink(session, settings, node.Handle) : ReplyLink(session, settings);
            }
            settings.MaxMessageSize = MaxMessageSize;
            return brokerReceives ? SenderEndpoint(session, settings, queue) : ReceiverEndpoint(session, settings, queue);
        }

        public IAsyncResult BeginOpenLink(AmqpLink link, TimeSpan timeout, AsyncCallback callback, object state) =>
            TaskToAsyncResult.Begin(Task.CompletedTask, callback, state);

        public void EndOpenLink(IAsyncResult result) => TaskToAsyncResult.End(result);

        /// <summary>Request-response operations: the request half of a node; each request is answered on its reply-to link.</summary>
        private ReceivingAmqpLink RequestLink(AmqpSession session, AmqpLinkSettings settings, Func<AmqpMessage, AmqpMessage> handle)
        {
            var link = new ReceivingAmqpLink(session, settings);
            link.RegisterMessageListener(request =>
            {
                var response = handle(request);
                var replyTo = request.Properties.ReplyTo?.ToString();
                if (!request.Settled) link.AcceptMessage(request, false);
                request.Dispose();
                if (replyTo is not null && _replyLinks.TryGetValue(replyTo, out var reply))
                    reply.SendMessageNoWait(response, new ArraySegment<byte>(Guid.NewGuid().ToByteArray()), AmqpConstants.NullBinary);
            });
            return link;
        }

        /// <summary>Request-response operations: the response half of a node, found by its target address (the requests' reply-to).</summary>
        private SendingAmqpLink ReplyLink(AmqpSession session, AmqpLinkSettings settings)
        {
            var link = new SendingAmqpLink(session, settings);
            if ((settings.Target as Target)?.Address?.ToString() is { } replyTo)
            {
                _replyLinks[replyTo] = link;
                link.SafeAddClosed((_, _) => _replyLinks.TryRemove(new KeyValuePair<string, SendingAmqpLink>(replyTo, link)));
            }
            return link;
        }

        /// <summary>Protocol guide, "Sending messages": the client's sender; each transfer (or batch) is accepted once enqueued.</summary>
        private ReceivingAmqpLink SenderEndpoint(AmqpSession session, AmqpLinkSettings settings, BrokerQueue queue)
        {
            if (queue.DeadLetterQueue is null)
            {
                Broker.Record("attach-refused", queue.Path, "amqp:not-allowed");
                throw new AmqpException(AmqpErrorCode.NotAllowed, "Messages cannot be sent to a dead-letter sub-queue.");
            }
            var link = new ReceivingAmqpLink(session, settings);
            link.RegisterMessageListener(transfer =>
            {
                try
                {
                    Broker.Enqueue(queue, BrokerMessage.FromTransfer(transfer));
                    link.AcceptMessage(transfer, false);
                }
                catch (Exception ex) when (ex is InvalidDataException or AmqpException or InvalidCastException)
                {
                    link.RejectMessage(transfer, ex);
                }
                finally
                {
                    transfer.Dispose();
                }
            });
            return link;
        }

        /// <summary>
        /// Protocol guide, "Receiving messages" and "Settling": the client's receiver. Credit from the
        /// client releases messages to it; its dispositions settle them by the delivery tag (the lock
        /// token): accepted = complete, modified = abandon (undeliverable-here = defer), rejected =
        /// dead-letter (com.microsoft:dead-letter with DeadLetterReason and DeadLetterErrorDescription
        /// in the error info), released = release. An unknown or expired lock is answered with a
        /// rejected outcome carrying com.microsoft:message-lock-lost.
        /// </summary>
        private SendingAmqpLink ReceiverEndpoint(AmqpSession session, AmqpLinkSettings settings, BrokerQueue queue)
        {
            var link = new SendingAmqpLink(session, settings);
            link.RegisterCreditListener((_, _, _) => Broker.Dispatch(queue));
            link.RegisterDispositionListener(delivery =>
            {
                var state = delivery.State is TransactionalState transactional ? transactional.Outcome : delivery.State;
                var lockToken = new Guid(delivery.DeliveryTag.AsSpan());
                var (settlement, reply) = state switch
                {
                    Accepted => (Settlement.Complete, (Outcome)new Accepted()),
                    Modified { UndeliverableHere: true } => (Settlement.Defer, new Modified()),
                    Modified => (Settlement.Abandon, new Modified()),
                    Rejected => (Settlement.DeadLetter, new Rejected()),
                    _ => (Settlement.Release, new Released()),
                };
                var (properties, reason, description) = Details(state);
                var settled = Broker.Settle(queue, lockToken, settlement, properties, reason, description);
                link.DisposeDelivery(delivery, true, settled ? reply : LockLost());
            });
            Broker.AddReceiver(queue, link);
            link.SafeAddClosed((_, _) => Broker.RemoveReceiver(queue, link));
            return link;
        }

        /// <summary>The properties to modify (modified's message-annotations, rejected's error info) and the dead-letter reason and description.</summary>
        private static (Dictionary<string, object?>? Properties, string? Reason, string? Description) Details(DeliveryState? state)
        {
            var fields = state switch
            {
                Modified modified => modified.MessageAnnotations,
                Rejected rejected => rejected.Error?.Info,
                _ => null,
            };
            if (fields is null) return (null, null, null);
            var all = fields.ToDictionary(f => f.Key.Key is AmqpSymbol symbol ? symbol.Value : f.Key.Key.ToString()!, f => (object?)f.Value);
            var reason = all.Remove("DeadLetterReason", out var r) ? r as string : null;
            var description = all.Remove("DeadLetterErrorDescription", out var d) ? d as string : null;
            return (all, reason, description);
        }

        private static Rejected LockLost() => new()
        {
            Error = new Error
            {
                Condition = new AmqpSymbol("com.microsoft:message-lock-lost"),
                Description = "The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.",
            },
        };
    }
}
