using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Porthole.KubeSim.OpenApi;

/// <summary>
/// The swagger 2.0 document as the API server serves /openapi/v2 to client-go: the gnostic
/// <c>openapi.v2.Document</c> protobuf (Accept: application/com.github.proto-openapi.spec.v2.v1.0+protobuf).
/// kubectl up to 1.28 reads it for client-side validation, for the fieldValidation query-parameter
/// check (a PATCH operation carrying x-kubernetes-group-version-kind) and for strategic merge
/// patches; later versions still fall back to it for kinds without a PATCH (reviews).
/// Vendor extensions, defaults, enums and examples are gnostic <c>Any</c> values holding YAML
/// (here JSON, which is YAML). Field numbers are those of gnostic's OpenAPIv2.proto.
/// </summary>
internal static class SwaggerProtobuf
{
    /// <summary>The media type name client-go asks for (the deprecated "@" spelling is also answered).</summary>
    public const string MediaType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    public const string DeprecatedMediaType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    public static byte[] Encode(JsonObject swagger)
    {
        var doc = new Message()
            .String(1, swagger.Str("swagger"))
            .Child(2, swagger["info"] is JsonObject info ? new Message().String(1, info.Str("title")).String(2, info.Str("version")) : null);
        if (swagger["paths"] is JsonObject paths)
        {
            var p = new Message();
            foreach (var (path, item) in paths)
            {
                p.Child(2, Named(path, PathItem((JsonObject)item!)));
            }

            doc.Child(8, p);
        }

        if (swagger["definitions"] is JsonObject definitions)
        {
            doc.Child(9, NamedSchemas(definitions));
        }

        foreach (var requirement in swagger["security"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var r = new Message();
            foreach (var (name, scopes) in requirement)
            {
                r.Child(1, Named(name, Strings(new Message(), 1, scopes)));
            }

            doc.Child(12, r);
        }

        if (swagger["securityDefinitions"] is JsonObject security)
        {
            var s = new Message();
            foreach (var (name, definition) in security)
            {
                var apiKey = new Message()
                    .String(1, definition.Str("type")).String(2, definition.Str("name"))
                    .String(3, definition.Str("in")).String(4, definition.Str("description"));
                s.Child(1, Named(name, new Message().Child(2, apiKey)));
            }

            doc.Child(13, s);
        }

        return Extensions(doc, 16, swagger).ToArray();
    }

    private static Message PathItem(JsonObject item)
    {
        var m = new Message().String(1, item.Str("$ref"));
        foreach (var (verb, field) in new[] { ("get", 2), ("put", 3), ("post", 4), ("delete", 5), ("options", 6), ("head", 7), ("patch", 8) })
        {
            if (item[verb] is JsonObject op)
            {
                m.Child(field, Operation(op));
            }
        }

        Parameters(m, 9, item["parameters"]);
        return Extensions(m, 10, item);
    }

    private static Message Operation(JsonObject op)
    {
        var m = Strings(new Message(), 1, op["tags"])
            .String(2, op.Str("summary"))
            .String(3, op.Str("description"))
            .String(5, op.Str("operationId"));
        Strings(m, 6, op["produces"]);
        Strings(m, 7, op["consumes"]);
        Parameters(m, 8, op["parameters"]);
        if (op["responses"] is JsonObject responses)
        {
            var r = new Message();
            foreach (var (code, response) in responses)
            {
                var value = new Message()
                    .String(1, response.Str("description"))
                    .Child(2, response?["schema"] is JsonObject schema ? new Message().Child(1, Schema(schema)) : null);
                r.Child(1, Named(code, new Message().Child(1, value)));
            }

            m.Child(9, r);
        }

        Strings(m, 10, op["schemes"]);
        m.Bool(11, Flag(op, "deprecated"));
        return Extensions(m, 13, op);
    }

    /// <summary>ParametersItem: a $ref (JsonReference), a body parameter, or a query, path, header or formData one.</summary>
    private static void Parameters(Message m, int field, JsonNode? parameters)
    {
        foreach (var p in parameters?.AsArray().OfType<JsonObject>() ?? [])
        {
            if (p.Str("$ref") is { } reference)
            {
                m.Child(field, new Message().Child(2, new Message().String(1, reference).String(2, p.Str("description"))));
                continue;
            }

            var place = p.Str("in");
            Message parameter;
            if (place == "body")
            {
                var body = new Message()
                    .String(1, p.Str("description")).String(2, p.Str("name")).String(3, place)
                    .Bool(4, Flag(p, "required"))
                    .Child(5, p["schema"] is JsonObject schema ? Schema(schema) : null);
                parameter = new Message().Child(1, Extensions(body, 6, p));
            }
            else
            {
                // Sub-schema message, and in it the field numbers of type/format, uniqueItems and the vendor extensions.
                var (sub, typeField, uniqueField, extensionField) = place switch
                {
                    "header" => (1, 5, 19, 22),
                    "formData" => (2, 6, 20, 23),
                    "path" => (4, 5, 19, 22),
                    _ => (3, 6, 20, 23),
                };
                var s = new Message()
                    .Bool(1, Flag(p, "required")).String(2, place)
                    .String(3, p.Str("description")).String(4, p.Str("name"))
                    .String(typeField, p.Str("type")).String(typeField + 1, p.Str("format"))
                    .Bool(uniqueField, Flag(p, "uniqueItems"));
                parameter = new Message().Child(2, new Message().Child(sub, Extensions(s, extensionField, p)));
            }

            m.Child(field, new Message().Child(1, parameter));
        }
    }

    private static Message Schema(JsonObject s)
    {
        var m = new Message()
            .String(1, s.Str("$ref")).String(2, s.Str("format")).String(3, s.Str("title")).String(4, s.Str("description"))
            .Child(5, Any(s["default"]))
            .Double(6, s["multipleOf"]).Double(7, s["maximum"]).Bool(8, Flag(s, "exclusiveMaximum"))
            .Double(9, s["minimum"]).Bool(10, Flag(s, "exclusiveMinimum"))
            .Int64(11, s["maxLength"]).Int64(12, s["minLength"]).String(13, s.Str("pattern"))
            .Int64(14, s["maxItems"]).Int64(15, s["minItems"]).Bool(16, Flag(s, "uniqueItems"))
            .Int64(17, s["maxProperties"]).Int64(18, s["minProperties"]);
        Strings(m, 19, s["required"]);
        foreach (var value in s["enum"]?.AsArray() ?? [])
        {
            m.Child(20, Any(value) ?? new Message().String(2, "null"));
        }

        switch (s["additionalProperties"])
        {
            case JsonObject schema:
                m.Child(21, new Message().Child(1, Schema(schema)));
                break;
            case JsonValue flag when flag.TryGetValue<bool>(out var allowed):
                m.Child(21, new Message().Bool(2, allowed, always: true));
                break;
        }

        switch (s["type"])
        {
            case JsonValue one:
                m.Child(22, new Message().String(1, one.GetValue<string>()));
                break;
            case JsonArray several:
                m.Child(22, Strings(new Message(), 1, several));
                break;
        }

        switch (s["items"])
        {
            case JsonObject item:
                m.Child(23, new Message().Child(1, Schema(item)));
                break;
            case JsonArray items:
                var list = new Message();
                foreach (var item in items.OfType<JsonObject>())
                {
                    list.Child(1, Schema(item));
                }

                m.Child(23, list);
                break;
        }

        foreach (var part in s["allOf"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            m.Child(24, Schema(part));
        }

        if (s["properties"] is JsonObject properties)
        {
            m.Child(25, NamedSchemas(properties));
        }

        m.String(26, s.Str("discriminator")).Bool(27, Flag(s, "readOnly")).Child(30, Any(s["example"]));
        return Extensions(m, 31, s);
    }

    /// <summary>Definitions and Properties: repeated NamedSchema in field 1.</summary>
    private static Message NamedSchemas(JsonObject schemas)
    {
        var m = new Message();
        foreach (var (name, schema) in schemas)
        {
            if (schema is JsonObject o)
            {
                m.Child(1, Named(name, Schema(o)));
            }
        }

        return m;
    }

    /// <summary>The x-* members of a JSON object as repeated NamedAny.</summary>
    private static Message Extensions(Message m, int field, JsonObject o)
    {
        foreach (var (key, value) in o)
        {
            if (key.StartsWith("x-", StringComparison.Ordinal))
            {
                m.Child(field, Named(key, Any(value) ?? new Message().String(2, "null")));
            }
        }

        return m;
    }

    /// <summary>A gnostic Any: the value as YAML text (field 2); JSON is valid YAML.</summary>
    private static Message? Any(JsonNode? value) => value is null ? null : new Message().String(2, value.ToJsonString() + "\n");

    private static Message Named(string name, Message value) => new Message().String(1, name).Child(2, value);

    private static Message Strings(Message m, int field, JsonNode? values)
    {
        foreach (var v in values?.AsArray() ?? [])
        {
            m.String(field, v?.GetValue<string>(), always: true);
        }

        return m;
    }

    private static bool Flag(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static string? Str(this JsonNode? node, string key) =>
        node is JsonObject o && o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A message being written: fields in the order given, nested messages encoded first (proto3: defaults left out).</summary>
    private sealed class Message
    {
        private readonly MemoryStream _bytes = new();
        private readonly CodedOutputStream _out;

        public Message()
        {
            _out = new CodedOutputStream(_bytes, leaveOpen: true);
        }

        public Message String(int field, string? value, bool always = false)
        {
            if (value is not null && (always || value.Length > 0))
            {
                _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
                _out.WriteString(value);
            }

            return this;
        }

        public Message Bool(int field, bool value, bool always = false)
        {
            if (value || always)
            {
                _out.WriteTag(field, WireFormat.WireType.Varint);
                _out.WriteBool(value);
            }

            return this;
        }

        public Message Int64(int field, JsonNode? value)
        {
            if (value is JsonValue v && v.TryGetValue<long>(out var n) && n != 0)
            {
                _out.WriteTag(field, WireFormat.WireType.Varint);
                _out.WriteInt64(n);
            }

            return this;
        }

        public Message Double(int field, JsonNode? value)
        {
            if (value is JsonValue v && v.TryGetValue<double>(out var d) && d != 0)
            {
                _out.WriteTag(field, WireFormat.WireType.Fixed64);
                _out.WriteDouble(d);
            }

            return this;
        }

        public Message Child(int field, Message? child)
        {
            if (child is not null)
            {
                _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
                _out.WriteBytes(ByteString.CopyFrom(child.ToArray()));
            }

            return this;
        }

        public byte[] ToArray()
        {
            _out.Flush();
            return _bytes.ToArray();
        }
    }
}
