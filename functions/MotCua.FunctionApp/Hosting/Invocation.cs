using System.Text.Json;
using System.Text.Json.Serialization;

namespace MotCua.FunctionApp.Hosting;

/// <summary>The custom-handler invocation payload: trigger and input data by binding name, and trigger metadata.</summary>
public sealed record InvocationRequest(
    [property: JsonPropertyName("Data")] Dictionary<string, JsonElement> Data,
    [property: JsonPropertyName("Metadata")] Dictionary<string, JsonElement> Metadata);

/// <summary>The custom-handler invocation response: output bindings by name, log lines, and the <c>$return</c> value.</summary>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] Dictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] List<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    public static InvocationResponse Done(params string[] logs) => new([], [.. logs], null);
}

/// <summary>Binding names used in the generated <c>function.json</c> files and in invocation payloads.</summary>
public static class TriggerBindings
{
    public const string Queue = "message";
    public const string EventGrid = "eventGridEvent";
    public const string Timer = "timer";
}

/// <summary>
/// Reads trigger values whichever way the host encoded them: the documented samples pass a queue
/// message as a JSON string, current hosts encode that string a second time, and objects may
/// arrive parsed.
/// </summary>
public static class TriggerValues
{
    public static string ReadText(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return value.GetRawText();
        var text = value.GetString()!;
        if (text.Length > 1 && text[0] == '"')
        {
            try
            {
                if (JsonElement.Parse(text) is { ValueKind: JsonValueKind.String } inner) return inner.GetString()!;
            }
            catch (JsonException)
            {
            }
        }
        return text;
    }

    public static JsonElement ReadJson(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? JsonElement.Parse(ReadText(value)) : value;

    public static JsonElement Required(InvocationRequest request, string binding) =>
        request.Data.TryGetValue(binding, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value
            : throw new InvalidInvocationException($"The invocation has no '{binding}' data.");
}

/// <summary>An invocation payload without the data its trigger always sends: the host's request, not a message, is wrong.</summary>
public sealed class InvalidInvocationException(string message) : Exception(message);
