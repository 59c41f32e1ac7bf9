using Azure.Data.Tables;

namespace MotCua.FunctionApp.Storage;

/// <summary>
/// The app's tables. Dossiers: one partition per dossier code (the dossier, its history and its
/// outbox, so one batch changes them together). Documents: one partition per dossier id.
/// Counters: per unit per day, and failed lookup PINs per dossier code. Outbox: the dossiers with messages not yet sent. Catalog: units,
/// procedures and the calendar. DeviceKeys: approvers' phone keys. Worklist: dossiers by holding unit and by owner.
/// Pages: each document's text per page (PartitionKey = document id). SearchIndex: see <c>TableSearchIndex</c>.
/// Members, Devices, Inbox, Pushes: see <c>Notifications/NotificationEntities.cs</c>. PublicChecks: issued documents by
/// their public check id and by their SHA-256.
/// </summary>
public sealed record MotCuaTables(TableClient Dossiers, TableClient Documents, TableClient Counters, TableClient Outbox, TableClient Catalog,
    TableClient DeviceKeys, TableClient Worklist, TableClient Pages, TableClient SearchIndex,
    TableClient Members, TableClient Devices, TableClient Inbox, TableClient Pushes, TableClient PublicChecks)
{
    public IEnumerable<TableClient> All => [Dossiers, Documents, Counters, Outbox, Catalog, DeviceKeys, Worklist, Pages, SearchIndex, Members, Devices, Inbox, Pushes, PublicChecks];

    public static MotCuaTables Create(TableServiceClient service, string prefix) => new(
        service.GetTableClient(prefix + "dossiers"),
        service.GetTableClient(prefix + "documents"),
        service.GetTableClient(prefix + "counters"),
        service.GetTableClient(prefix + "outbox"),
        service.GetTableClient(prefix + "catalog"),
        service.GetTableClient(prefix + "devicekeys"),
        service.GetTableClient(prefix + "worklist"),
        service.GetTableClient(prefix + "pages"),
        service.GetTableClient(prefix + "searchindex"),
        service.GetTableClient(prefix + "members"),
        service.GetTableClient(prefix + "devices"),
        service.GetTableClient(prefix + "inbox"),
        service.GetTableClient(prefix + "pushes"),
        service.GetTableClient(prefix + "publicchecks"));
}
