using System.Text.Json;
using MotCua.FunctionApp.Hosting;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Notifications;

/// <summary>
/// The body of a push step's message: one notification of one user, with what it says, so the
/// push step need not read the inbox. The phones are read when it runs: one removed or moved to
/// another user meanwhile gets nothing.
/// </summary>
public sealed record PushRequest(string UserId, PushContent Content)
{
    public const string Subject = "push";
}

/// <summary>
/// Turns a planned notification into inbox rows (one per recipient, in the recipient's language)
/// and push requests. The row's id comes from the cause, so doing this twice writes nothing new;
/// the push step keeps its own record per device. An official is not told of their own act; a
/// citizen is, since the notification confirms what they did (a withdrawal).
/// </summary>
public sealed class Notifier(MemberDirectory members, DeviceRegistry devices, InboxStore inbox, IMessageTransport transport, TimeProvider time)
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
    /// row id must come from the cause), the inbox keeps it, and their phones get a push.
    /// </summary>
    public async Task DeliverAsync(string userId, Func<string?, InboxEntity> compose, string correlationId, CancellationToken cancellationToken)
    {
        var phones = await devices.OfAsync(userId, cancellationToken);
        var locale = phones.OrderByDescending(d => d.UpdatedAt).FirstOrDefault()?.Locale;
        var row = compose(locale);
        await inbox.AddAsync(row, cancellationToken);
        if (phones.Count == 0) return;
        // Sent again when the row already existed: a crash may have come between the two; the push step sends once per phone.
        var push = new PushRequest(userId, PushContent.Of(row));
        await transport.SendAsync(QueueNames.PushDeliveries, new OutgoingMessage($"{userId}-{row.RowKey}-{Guid.NewGuid():N}", PushRequest.Subject,
            BinaryData.FromObjectAsJson(push, JsonSerializerOptions.Web), CorrelationId: correlationId), cancellationToken);
    }
}
