using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>
/// Checks a push the local FCM server received against the committed contract
/// (mobile-contracts/push-payload.schema.json): required fields, no others in <c>data</c>, every
/// data value a string, the kind one of the listed ones, and the documented patterns.
/// </summary>
public static class PushContract
{
    private static readonly Lazy<JsonNode> Schema = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "mobile-contracts", "push-payload.schema.json")))!);

    public static void Check(JsonObject body)
    {
        var message = Assert.IsType<JsonObject>(body["message"]);
        var messageSchema = Schema.Value["properties"]!["message"]!;
        foreach (var required in messageSchema["required"]!.AsArray()) Assert.True(message.ContainsKey(required!.GetValue<string>()), $"message.{required}");
        Assert.All(message.Select(p => p.Key), key => Assert.True(messageSchema["properties"]!.AsObject().ContainsKey(key), $"message.{key} is not in the contract"));

        var data = Assert.IsType<JsonObject>(message["data"]);
        var dataSchema = messageSchema["properties"]!["data"]!;
        var allowed = dataSchema["properties"]!.AsObject();
        Assert.Equal(dataSchema["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order(), data.Select(p => p.Key).Order());
        foreach (var (key, value) in data)
        {
            var text = Assert.IsAssignableFrom<JsonValue>(value).GetValue<string>();
            var field = allowed[key]!;
            if (field["const"] is { } constant) Assert.Equal(constant.GetValue<string>(), text);
            if (field["enum"] is JsonArray options) Assert.Contains(text, options.Select(o => o!.GetValue<string>()));
            if (field["pattern"] is { } pattern) Assert.Matches(new Regex(pattern.GetValue<string>()), text);
        }
    }
}
