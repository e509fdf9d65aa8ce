using System.Globalization;
using System.Text.Json;
using Alerts.Core.Api;

namespace Alerts.IntegrationTests.Api;

/// <summary>
/// The OpenAPI document shipped beside the handlers, and a validator for the part of JSON Schema it
/// uses (type, properties, required, additionalProperties, items, enum, oneOf, $ref, date-time,
/// maxLength): enough to hold real requests and answers to what the document promises.
/// </summary>
internal sealed class OpenApiDocument
{
    private readonly JsonElement _root;

    private OpenApiDocument(JsonElement root) => _root = root;

    public static OpenApiDocument Load()
    {
        using var stream = typeof(ApiJson).Assembly.GetManifestResourceStream("Alerts.Core.openapi.json")!;
        using var document = JsonDocument.Parse(stream);
        return new OpenApiDocument(document.RootElement.Clone());
    }

    /// <summary>"GET /api/feeds" for every documented operation.</summary>
    public IEnumerable<string> Operations() =>
        _root.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(op => op.Name is "get" or "put" or "post" or "delete").Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"));

    /// <summary>The schema of an operation's answer with this status (JSON or problem+json); null when it documents none.</summary>
    public JsonElement? ResponseSchema(string method, string pathTemplate, int status)
    {
        var operation = Operation(method, pathTemplate);
        Assert.True(operation.GetProperty("responses").TryGetProperty(status.ToString(CultureInfo.InvariantCulture), out var response), $"{method} {pathTemplate} does not document status {status}");
        response = Resolve(response);
        if (!response.TryGetProperty("content", out var content))
        {
            return null;
        }

        foreach (var media in content.EnumerateObject())
        {
            if (media.Name.Contains("json", StringComparison.Ordinal) && media.Value.TryGetProperty("schema", out var schema))
            {
                return schema;
            }
        }

        return null;
    }

    public JsonElement? RequestSchema(string method, string pathTemplate) =>
        Operation(method, pathTemplate).TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out var json)
            ? json.GetProperty("schema")
            : null;

    /// <summary>Every way <paramref name="value"/> breaks <paramref name="schema"/>, each with its JSON path.</summary>
    public List<string> Validate(JsonElement value, JsonElement schema)
    {
        var errors = new List<string>();
        Validate(value, schema, "$", errors);
        return errors;
    }

    private JsonElement Operation(string method, string pathTemplate)
    {
        Assert.True(_root.GetProperty("paths").TryGetProperty(pathTemplate, out var path), $"{pathTemplate} is not documented");
        Assert.True(path.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {pathTemplate} is not documented");
        return operation;
    }

    private JsonElement Resolve(JsonElement node)
    {
        while (node.ValueKind == JsonValueKind.Object && node.TryGetProperty("$ref", out var reference))
        {
            node = _root;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                node = node.GetProperty(part);
            }
        }

        return node;
    }

    private void Validate(JsonElement value, JsonElement schema, string at, List<string> errors)
    {
        schema = Resolve(schema);
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            if (!oneOf.EnumerateArray().Any(option => Validate(value, option).Count == 0))
            {
                errors.Add($"{at}: matches none of the documented alternatives");
            }

            return;
        }

        if (schema.TryGetProperty("type", out var type) && !IsType(value, type.GetString()!))
        {
            errors.Add($"{at}: is {value.ValueKind}, documented as {type.GetString()}");
            return;
        }

        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.ToString() == value.ToString()))
        {
            errors.Add($"{at}: '{value}' is not one of the documented values");
        }

        if (schema.TryGetProperty("format", out var format) && format.GetString() == "date-time" && !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, out _))
        {
            errors.Add($"{at}: '{value}' is not a date-time");
        }

        if (schema.TryGetProperty("maxLength", out var maxLength) && value.GetString()!.Length > maxLength.GetInt32())
        {
            errors.Add($"{at}: longer than {maxLength.GetInt32()}");
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            var properties = schema.TryGetProperty("properties", out var p) ? p : default;
            foreach (var required in schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!) : [])
            {
                if (!value.TryGetProperty(required, out _))
                {
                    errors.Add($"{at}.{required}: required but missing");
                }
            }

            foreach (var member in value.EnumerateObject())
            {
                if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out var memberSchema))
                {
                    Validate(member.Value, memberSchema, $"{at}.{member.Name}", errors);
                }
                else if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False)
                {
                    errors.Add($"{at}.{member.Name}: not documented");
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Validate(item, items, $"{at}[{i++}]", errors);
            }
        }
    }

    private static bool IsType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        _ => false,
    };
}
