namespace MotCua.FunctionApp.Hosting;

public static class StorageContainers
{
    public const string Documents = "documents";

    /// <summary>Blobs whose leases let one standalone instance at a time run a timer occurrence.</summary>
    public const string Locks = "locks";
}
