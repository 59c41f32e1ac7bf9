namespace MotCua.FunctionApp.Hosting;

public static class QueueNames
{
    public const string DocumentReceived = "document-received";
    public const string BlobCreated = "blob-created";
    public const string DossierEvents = "dossier-events";
}
