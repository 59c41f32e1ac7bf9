namespace MotCua.Messaging;

/// <summary>A message that gave up, with why.</summary>
public sealed record DeadLetter(string Queue, ReceivedMessage Message, string Reason, string Description, DateTimeOffset DeadLetteredAt);
