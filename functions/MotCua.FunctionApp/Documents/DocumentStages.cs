namespace MotCua.FunctionApp.Documents;

/// <summary>
/// How far a document has come through its queued steps. Each step records its stage with its
/// result, so a message delivered again finds the work done and only passes it on.
/// </summary>
public static class DocumentStages
{
    public const string AwaitingUpload = "awaiting-upload";
    public const string Stored = "stored";
    public const string SignaturesChecked = "signatures-checked";
    public const string TextRead = "text-read";
    public const string Indexed = "indexed";
    public const string Recorded = "recorded";

    private static readonly string[] Order = [AwaitingUpload, Stored, SignaturesChecked, TextRead, Indexed, Recorded];

    public static bool Reached(string current, string stage) => Array.IndexOf(Order, current) >= Array.IndexOf(Order, stage);
}
