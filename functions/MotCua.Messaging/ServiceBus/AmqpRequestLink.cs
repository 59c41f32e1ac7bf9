using System.Collections.Concurrent;
using Amqp;
using Amqp.Framing;

namespace MotCua.Messaging.ServiceBus;

/// <summary>
/// The AMQP management request/response pattern used by CBS (<c>$cbs</c>) and Service Bus entity
/// management (<c>&lt;queue&gt;/$management</c>): a sender to the node, a receiver from it whose
/// target is our reply address, and responses matched to requests by correlation id.
/// </summary>
internal sealed class AmqpRequestLink
{
    private readonly SenderLink _sender;
    private readonly ReceiverLink _receiver;
    private readonly string _replyTo;
    private readonly TimeSpan _timeout;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Message>> _pending = new();

    private AmqpRequestLink(SenderLink sender, ReceiverLink receiver, string replyTo, TimeSpan timeout)
    {
        _sender = sender;
        _receiver = receiver;
        _replyTo = replyTo;
        _timeout = timeout;
    }

    public bool IsClosed => _sender.IsClosed || _receiver.IsClosed;

    public static async Task<AmqpRequestLink> AttachAsync(Session session, string node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var replyTo = node + "-reply-" + Guid.NewGuid().ToString("N");
        var senderAttached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiverAttached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new SenderLink(session, replyTo + "-sender", new Attach
        {
            Source = new Source { Address = replyTo },
            Target = new Target { Address = node },
            SndSettleMode = SenderSettleMode.Settled,
        }, (_, remote) => { if (remote.Target is not null) senderAttached.TrySetResult(); });
        var receiver = new ReceiverLink(session, replyTo + "-receiver", new Attach
        {
            Source = new Source { Address = node },
            Target = new Target { Address = replyTo },
        }, (_, remote) => { if (remote.Source is not null) receiverAttached.TrySetResult(); });
        sender.AddClosedCallback((_, e) => senderAttached.TrySetException(new AmqpException(e ?? new Error(ErrorCode.DetachForced))));
        receiver.AddClosedCallback((_, e) => receiverAttached.TrySetException(new AmqpException(e ?? new Error(ErrorCode.DetachForced))));
        await Task.WhenAll(senderAttached.Task, receiverAttached.Task).WaitAsync(timeout, cancellationToken);

        var link = new AmqpRequestLink(sender, receiver, replyTo, timeout);
        receiver.Start(64, (r, response) =>
        {
            r.Accept(response);
            if (response.Properties?.CorrelationId is { } id && link._pending.TryRemove(id, out var waiting)) waiting.TrySetResult(response);
        });
        receiver.AddClosedCallback((_, e) => link.FailAll(e));
        sender.AddClosedCallback((_, e) => link.FailAll(e));
        return link;
    }

    public async Task<Message> RequestAsync(Message request, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        request.Properties ??= new Properties();
        request.Properties.MessageId = id;
        request.Properties.ReplyTo = _replyTo;
        var response = new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = response;
        try
        {
            _sender.Send(request, null, null);
            return await response.Task.WaitAsync(_timeout, cancellationToken);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Reads a response's status, which CBS names <c>status-code</c> and entity management <c>statusCode</c>.</summary>
    public static (int Code, string Description) Status(Message response)
    {
        var map = response.ApplicationProperties?.Map;
        object? code = null, description = null;
        if (map is not null)
        {
            if (!map.TryGetValue("status-code", out code)) map.TryGetValue("statusCode", out code);
            if (!map.TryGetValue("status-description", out description)) map.TryGetValue("statusDescription", out description);
        }
        return (code is null ? 0 : Convert.ToInt32(code, System.Globalization.CultureInfo.InvariantCulture), description as string ?? string.Empty);
    }

    private void FailAll(Error? error)
    {
        foreach (var (id, waiting) in _pending)
        {
            if (_pending.TryRemove(id, out _)) waiting.TrySetException(new AmqpException(error ?? new Error(ErrorCode.DetachForced)));
        }
    }
}
