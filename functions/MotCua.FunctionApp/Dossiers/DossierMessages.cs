namespace MotCua.FunctionApp.Dossiers;

/// <summary>Body of the 'document received' step: the documents of this dossier are stored.</summary>
public sealed record DocumentReceivedMessage(string DossierCode, int DocumentCount)
{
    public const string Subject = "document-received";
}
