using System.Text.Json;
using MotCua.FunctionApp.Hosting;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Notifications;

/// <summary>
/// One notification of one user, with what it says, so pushing it needs no inbox read. It is pushed
/// at once; it goes on the push step's queue only when that fails, and the step reads the phones again.
/// </summary>
public sealed record PushRequest(string UserId, PushContent Content)
{
    public const string Subject = "push";
}

/// <summary>
/// Turns a planned notification into inbox rows (one per recipient, in the recipient's language)
/// and push requests. The row's id comes from the cause, so doing this twice writes nothing new;
/// the push keeps its own record per device. An official is not told of their own act; a
/// citizen is, since the notification confirms what they did (a withdrawal).
/// </summary>
public sealed class Notifier(MemberDirectory members, DeviceRegistry devices, InboxStore inbox, PushDelivery pushes, IMessageTransport transport, TimeProvider time,
    ILogger<Notifier> logger)
{
    public async Task<int> NotifyAsync(Audience audience, NotificationFacts facts, DateTimeOffset at, string cause, CancellationToken cancellationToken, string? actor = null)
    {
        IReadOnlyList<string> everyone = audience switch
        {
            CitizenAudience c => [c.UserId],
            UnitAudience u => await members.OfficialsAsync(u.Unit, u.Roles, cancellationToken),
            _ => [],
        };
        var recipients = audience is CitizenAudience ? everyone.ToList() : everyone.Where(id => id != actor).ToList();
        var id = InboxStore.Id(at, facts.DossierCode, cause);
        foreach (var userId in recipients)
        {
            await DeliverAsync(userId, locale =>
            {
                var (title, body) = NotificationTemplates.Render(facts, locale);
                return new InboxEntity
                {
                    PartitionKey = userId,
                    RowKey = id,
                    Kind = facts.Kind,
                    DossierCode = facts.DossierCode,
                    Title = title,
                    Body = body,
                    Status = (int)facts.Status,
                    DueAt = facts.DueAt,
                    CreatedAt = time.GetUtcNow(),
                };
            }, facts.DossierCode, cancellationToken);
        }
        return recipients.Count;
    }

    /// <summary>
    /// One notification of one user: <paramref name="compose"/> writes it in the language of their latest phone (its
    /// row id must come from the cause), the inbox keeps it, and their phones get a push, with the phones just read.
    /// A push that fails goes to the push step's queue, which retries it; the notification is done either way.
    /// </summary>
    public async Task DeliverAsync(string userId, Func<string?, InboxEntity> compose, string correlationId, CancellationToken cancellationToken)
    {
        var phones = await devices.OfAsync(userId, cancellationToken);
        var locale = phones.OrderByDescending(d => d.UpdatedAt).FirstOrDefault()?.Locale;
        var row = compose(locale);
        await inbox.AddAsync(row, cancellationToken);
        if (phones.Count == 0 || !pushes.Enabled) return;
        // Pushed again when the row already existed: a crash may have come between the two; each phone gets it once.
        var push = new PushRequest(userId, PushContent.Of(row));
        try
        {
            await pushes.DeliverAsync(push, phones, cancellationToken);
            return;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            NotifierLog.PushQueued(logger, userId, row.RowKey, e);
        }
        await transport.SendAsync(QueueNames.PushDeliveries, new OutgoingMessage($"{userId}-{row.RowKey}-{Guid.NewGuid():N}", PushRequest.Subject,
            BinaryData.FromObjectAsJson(push, JsonSerializerOptions.Web), CorrelationId: correlationId), cancellationToken);
    }
}

internal static partial class NotifierLog
{
    [LoggerMessage(1, LogLevel.Warning, "Push of {NotificationId} to user {UserId} failed; it goes to the push queue for a retry")]
    public static partial void PushQueued(ILogger logger, string userId, string notificationId, Exception exception);
}
