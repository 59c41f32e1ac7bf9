namespace MotCua.Domain.Dossiers;

/// <summary>
/// The step that closes intake: once the submitted documents are stored, the dossier is registered
/// and waits for a clerk. Keyed on the current status, so a repeated delivery changes nothing.
/// </summary>
public static class DocumentIntake
{
    public const string Action = "documents-received";

    public static StatusChange? OnDocumentsReceived(DossierStatus current, int documentCount) =>
        current == DossierStatus.Receiving
            ? new StatusChange(current, DossierStatus.Registered, Action,
                $"Đã nhận {documentCount} tài liệu; hồ sơ chờ tiếp nhận.")
            : null;
}
