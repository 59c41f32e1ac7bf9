using System.ComponentModel.DataAnnotations;

namespace MotCua.FunctionApp.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    [Required]
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Put in front of every table, container and queue name; isolates tests and side-by-side apps.</summary>
    [RegularExpression("^[a-z][a-z0-9]{0,15}$|^$", ErrorMessage = "Storage:Prefix is lower-case letters and digits, starting with a letter.")]
    public string Prefix { get; set; } = string.Empty;

    /// <summary>
    /// Whether the app makes its tables, documents container and storage queues as it starts (cheap when
    /// they exist, but a round trip each before the first request). A deployment that made them once
    /// (infra/main.bicep, or <c>MotCua.FunctionApp create-storage</c>) sets this to false.
    /// </summary>
    public bool CreateOnStart { get; set; } = true;
}
