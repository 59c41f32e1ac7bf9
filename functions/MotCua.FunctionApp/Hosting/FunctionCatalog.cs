namespace MotCua.FunctionApp.Hosting;

/// <summary>
/// Every function of the app, declared once. Endpoints are mapped from these declarations,
/// standalone triggers are started from them, and <c>function.json</c> files are generated from them.
/// </summary>
public static class FunctionCatalog
{
    public static readonly FunctionDeclaration SubmitDossier = new("SubmitDossier", new HttpTrigger("POST", "dossiers"));
    public static readonly FunctionDeclaration GetDossier = new("GetDossier", new HttpTrigger("GET", "dossiers/{code}"));
    public static readonly FunctionDeclaration TakeAction = new("TakeAction", new HttpTrigger("POST", "dossiers/{code}/actions/{action}"));
    public static readonly FunctionDeclaration GetForm = new("GetForm", new HttpTrigger("GET", "dossiers/{code}/forms/{kind}"));
    public static readonly FunctionDeclaration RecordApology = new("RecordApology", new HttpTrigger("POST", "dossiers/{code}/apology"));
    public static readonly FunctionDeclaration VerifyHistory = new("VerifyHistory", new HttpTrigger("GET", "dossiers/{code}/history/verification"));
    public static readonly FunctionDeclaration PublicLookup = new("PublicLookup", new HttpTrigger("GET", "public/dossiers/{code}", Anonymous: true));
    public static readonly FunctionDeclaration RegisterDeviceKey = new("RegisterDeviceKey", new HttpTrigger("POST", "me/device-keys"));
    public static readonly FunctionDeclaration ListDeviceKeys = new("ListDeviceKeys", new HttpTrigger("GET", "me/device-keys"));
    public static readonly FunctionDeclaration RevokeDeviceKey = new("RevokeDeviceKey", new HttpTrigger("DELETE", "me/device-keys/{keyId}"));
    public static readonly FunctionDeclaration ListProcedures = new("ListProcedures", new HttpTrigger("GET", "procedures"));
    public static readonly FunctionDeclaration GetProcedure = new("GetProcedure", new HttpTrigger("GET", "procedures/{code}"));
    public static readonly FunctionDeclaration PublishProcedure = new("PublishProcedure", new HttpTrigger("PUT", "procedures/{code}"));
    public static readonly FunctionDeclaration ListUnits = new("ListUnits", new HttpTrigger("GET", "units"));
    public static readonly FunctionDeclaration PutUnit = new("PutUnit", new HttpTrigger("PUT", "units/{code}"));
    public static readonly FunctionDeclaration GetCalendar = new("GetCalendar", new HttpTrigger("GET", "calendar"));
    public static readonly FunctionDeclaration PutCalendarYear = new("PutCalendarYear", new HttpTrigger("PUT", "calendar/{year}"));
    public static readonly FunctionDeclaration ListWorklist = new("ListWorklist", new HttpTrigger("GET", "worklist"));
    public static readonly FunctionDeclaration ListApprovals = new("ListApprovals", new HttpTrigger("GET", "approvals"));
    public static readonly FunctionDeclaration ListMyDossiers = new("ListMyDossiers", new HttpTrigger("GET", "me/dossiers"));
    public static readonly FunctionDeclaration GetStatistics = new("GetStatistics", new HttpTrigger("GET", "units/{unit}/statistics"));
    public static readonly FunctionDeclaration AddDocuments = new("AddDocuments", new HttpTrigger("POST", "dossiers/{code}/documents"));
    public static readonly FunctionDeclaration RequestUpload = new("RequestUpload", new HttpTrigger("POST", "dossiers/{code}/uploads"));
    public static readonly FunctionDeclaration ConfirmUpload = new("ConfirmUpload", new HttpTrigger("POST", "dossiers/{code}/uploads/{documentId}/confirm"));
    public static readonly FunctionDeclaration GetDocument = new("GetDocument", new HttpTrigger("GET", "dossiers/{code}/documents/{documentId}"));
    public static readonly FunctionDeclaration GetDocumentPage = new("GetDocumentPage", new HttpTrigger("GET", "dossiers/{code}/documents/{documentId}/pages/{page:int}"));
    public static readonly FunctionDeclaration SearchDossiers = new("SearchDossiers", new HttpTrigger("GET", "search"));
    public static readonly FunctionDeclaration RegisterDevice = new("RegisterDevice", new HttpTrigger("PUT", "me/devices"));
    public static readonly FunctionDeclaration ListDevices = new("ListDevices", new HttpTrigger("GET", "me/devices"));
    public static readonly FunctionDeclaration RemoveDevice = new("RemoveDevice", new HttpTrigger("DELETE", "me/devices/{deviceId}"));
    public static readonly FunctionDeclaration ListNotifications = new("ListNotifications", new HttpTrigger("GET", "me/notifications"));
    public static readonly FunctionDeclaration CountUnread = new("CountUnread", new HttpTrigger("GET", "me/notifications/unread-count"));
    public static readonly FunctionDeclaration MarkRead = new("MarkRead", new HttpTrigger("POST", "me/notifications/{id}/read"));
    public static readonly FunctionDeclaration MarkAllRead = new("MarkAllRead", new HttpTrigger("POST", "me/notifications/read-all"));
    public static readonly FunctionDeclaration ListDeadLetters = new("ListDeadLetters", new HttpTrigger("GET", "admin/dead-letters/{queue}"));
    public static readonly FunctionDeclaration ReplayDeadLetters = new("ReplayDeadLetters", new HttpTrigger("POST", "admin/dead-letters/{queue}/replay"));
    public static readonly FunctionDeclaration Health = new("Health", new HttpTrigger("GET", "health", Anonymous: true));

    public static readonly FunctionDeclaration DocumentReceived = new("DocumentReceived", new QueueTrigger(QueueNames.DocumentReceived));
    public static readonly FunctionDeclaration DocumentBlobCreated = new("DocumentBlobCreated", new BlobCreatedTrigger(StorageContainers.Documents));
    public static readonly FunctionDeclaration UpdateWorklist = new("UpdateWorklist", new QueueTrigger(QueueNames.DossierEvents));
    public static readonly FunctionDeclaration VerifyDocumentSignatures = new("VerifyDocumentSignatures", new QueueTrigger(Documents.Processing.DocumentQueues.Signatures));
    public static readonly FunctionDeclaration ReadDocumentText = new("ReadDocumentText", new QueueTrigger(Documents.Processing.DocumentQueues.Text));
    public static readonly FunctionDeclaration IndexDocument = new("IndexDocument", new QueueTrigger(Documents.Processing.DocumentQueues.Index));
    public static readonly FunctionDeclaration RecordDocumentOutcome = new("RecordDocumentOutcome", new QueueTrigger(Documents.Processing.DocumentQueues.Outcome));
    public static readonly FunctionDeclaration Notify = new("Notify", new QueueTrigger(QueueNames.Notifications));
    public static readonly FunctionDeclaration DeliverPush = new("DeliverPush", new QueueTrigger(QueueNames.PushDeliveries));
    public static readonly FunctionDeclaration DeadlineReminder = new("DeadlineReminder", new QueueTrigger(QueueNames.DeadlineReminders));
    public static readonly FunctionDeclaration OutboxSweep = new("OutboxSweep", new TimerTrigger("0 */1 * * * *"));

    public static IReadOnlyList<FunctionDeclaration> All { get; } =
    [
        SubmitDossier, GetDossier, TakeAction, GetForm, RecordApology, VerifyHistory, PublicLookup,
        RegisterDeviceKey, ListDeviceKeys, RevokeDeviceKey,
        ListProcedures, GetProcedure, PublishProcedure, ListUnits, PutUnit, GetCalendar, PutCalendarYear,
        ListWorklist, ListApprovals, ListMyDossiers, GetStatistics,
        AddDocuments, RequestUpload, ConfirmUpload, GetDocument, GetDocumentPage, SearchDossiers,
        RegisterDevice, ListDevices, RemoveDevice, ListNotifications, CountUnread, MarkRead, MarkAllRead,
        ListDeadLetters, ReplayDeadLetters, Health,
        DocumentReceived, DocumentBlobCreated, UpdateWorklist, OutboxSweep,
        VerifyDocumentSignatures, ReadDocumentText, IndexDocument, RecordDocumentOutcome,
        Notify, DeliverPush, DeadlineReminder,
    ];
}

public static class StorageContainers
{
    public const string Documents = "documents";
}
