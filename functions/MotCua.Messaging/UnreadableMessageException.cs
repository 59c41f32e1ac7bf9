namespace MotCua.Messaging;

/// <summary>
/// A message no handler can read (not our envelope, a body of the wrong shape). Retrying cannot
/// help, so the consumer dead-letters it at once with this reason.
/// </summary>
public sealed class UnreadableMessageException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    public const string Reason = "UnreadableMessage";
}
