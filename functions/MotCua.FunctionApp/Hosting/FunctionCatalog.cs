namespace MotCua.FunctionApp.Hosting;

/// <summary>
/// Every function of the app, declared once. Endpoints are mapped from these declarations,
/// standalone triggers are started from them, and <c>function.json</c> files are generated from them.
/// </summary>
public static class FunctionCatalog
{
    public static readonly FunctionDeclaration SubmitDossier = new("SubmitDossier", new HttpTrigger("POST", "dossiers"));
    public static readonly FunctionDeclaration GetDossier = new("GetDossier", new HttpTrigger("GET", "dossiers/{code}"));
    public static readonly FunctionDeclaration ListDeadLetters = new("ListDeadLetters", new HttpTrigger("GET", "admin/dead-letters/{queue}"));
    public static readonly FunctionDeclaration ReplayDeadLetters = new("ReplayDeadLetters", new HttpTrigger("POST", "admin/dead-letters/{queue}/replay"));
    public static readonly FunctionDeclaration Health = new("Health", new HttpTrigger("GET", "health", Anonymous: true));

    public static readonly FunctionDeclaration DocumentReceived = new("DocumentReceived", new QueueTrigger(QueueNames.DocumentReceived));
    public static readonly FunctionDeclaration DocumentBlobCreated = new("DocumentBlobCreated", new BlobCreatedTrigger(StorageContainers.Documents));
    public static readonly FunctionDeclaration OutboxSweep = new("OutboxSweep", new TimerTrigger("0 */1 * * * *"));

    public static IReadOnlyList<FunctionDeclaration> All { get; } =
    [
        SubmitDossier, GetDossier, ListDeadLetters, ReplayDeadLetters, Health,
        DocumentReceived, DocumentBlobCreated, OutboxSweep,
    ];
}

public static class StorageContainers
{
    public const string Documents = "documents";
}
