using System.ComponentModel.DataAnnotations;

namespace MotCua.FunctionApp.Documents;

public sealed class DocumentOptions
{
    public const string Section = "Documents";

    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    [Range(1, 50)]
    public int MaxFilesPerSubmission { get; set; } = 20;
}
