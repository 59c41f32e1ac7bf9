using System.ComponentModel.DataAnnotations;

namespace MotCua.FunctionApp.Documents;

public sealed class DocumentOptions
{
    public const string Section = "Documents";

    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    [Range(1, 50)]
    public int MaxFilesPerSubmission { get; set; } = 20;

    /// <summary>Every document a dossier may ever hold, open upload tickets included.</summary>
    [Range(1, 1000)]
    public int MaxFilesPerDossier { get; set; } = 100;
}
