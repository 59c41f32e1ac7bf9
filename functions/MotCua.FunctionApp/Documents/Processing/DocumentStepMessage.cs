namespace MotCua.FunctionApp.Documents.Processing;

/// <summary>The body of every document step's message: which document to work on.</summary>
public sealed record DocumentStepMessage(string DossierId, string DocumentId)
{
    public const string Subject = "document-step";
}

public static class DocumentQueues
{
    public const string Signatures = "document-signatures";
    public const string Text = "document-text";
    public const string Index = "document-index";
    public const string Outcome = "document-outcome";
}
