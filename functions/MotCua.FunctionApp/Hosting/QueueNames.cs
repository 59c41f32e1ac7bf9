namespace MotCua.FunctionApp.Hosting;

public static class QueueNames
{
    public const string DocumentReceived = "document-received";
    public const string BlobCreated = "blob-created";
    public const string DossierEvents = "dossier-events";
    public const string Notifications = "dossier-notifications";
    public const string PushDeliveries = "push-deliveries";
    public const string DeadlineReminders = "deadline-reminders";
}
