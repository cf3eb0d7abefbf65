using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Porthole.KubeSim.Serialization;

/// <summary>
/// YAML to JSON and back as Kubernetes does it (sigs.k8s.io/yaml over go-yaml v2): plain scalars
/// typed by YAML 1.1 rules (yes/no/on/off are booleans, 0x1F and 0123 are integers), quoted
/// scalars stay strings, anchors, aliases and "&lt;&lt;" merge keys resolved; output in kubectl's
/// block style with sorted keys, strings quoted only where they would otherwise change type.
/// </summary>
public static partial class Yaml
{
    /// <summary>The first document as JSON (null for an empty document). Throws 400 BadRequest on invalid YAML.</summary>
    public static JsonNode? ToJson(string yaml)
    {
        var documents = Read(yaml, firstOnly: true);
        return documents.Count == 0 ? null : documents[0];
    }

    /// <summary>Every non-empty document of a multi-document stream ("---" separated), in order.</summary>
    public static IReadOnlyList<JsonNode?> ToJsonAll(string yaml) =>
        Read(yaml, firstOnly: false).Where(d => d is not null).ToList();

    private static List<JsonNode?> Read(string yaml, bool firstOnly)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var documents = new List<JsonNode?>();
        try
        {
            var parser = new Parser(new StringReader(yaml));
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                var anchors = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
                var root = parser.Current is DocumentEnd ? null : ReadNode(parser, anchors);
                parser.Consume<DocumentEnd>();
                documents.Add(root);
                if (firstOnly)
                {
                    break;
                }
            }
        }
        catch (YamlException e)
        {
            var reason = e.InnerException is YamlException inner ? inner.Message : e.Message;
            throw ApiException.BadRequest($"error converting YAML to JSON: yaml: line {e.Start.Line}: {reason}");
        }

        return documents;
    }

    private static JsonNode? ReadNode(IParser parser, Dictionary<string, JsonNode?> anchors)
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of stream");
        parser.MoveNext();
        switch (current)
        {
            case Scalar scalar:
                return Remember(anchors, scalar.Anchor, ResolveScalar(scalar));
            case AnchorAlias alias:
                if (!anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new YamlException(alias.Start, alias.End, $"unknown anchor '{alias.Value.Value}' referenced");
                }

                return target?.DeepClone();
            case SequenceStart start:
                var array = new JsonArray();
                while (parser.Current is not SequenceEnd)
                {
                    array.Add(ReadNode(parser, anchors));
                }

                parser.MoveNext();
                return Remember(anchors, start.Anchor, array);
            case MappingStart mapStart:
                var map = new JsonObject();
                while (parser.Current is not MappingEnd)
                {
                    ReadEntry(parser, anchors, map);
                }

                parser.MoveNext();
                return Remember(anchors, mapStart.Anchor, map);
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    private static void ReadEntry(IParser parser, Dictionary<string, JsonNode?> anchors, JsonObject map)
    {
        var keyEvent = parser.Current!;
        var isMerge = keyEvent is Scalar { Value: "<<", Style: ScalarStyle.Plain } mergeKey && mergeKey.Tag.IsEmpty;
        var key = ReadNode(parser, anchors);
        var value = ReadNode(parser, anchors);
        if (isMerge)
        {
            Merge(map, value, keyEvent);
            return;
        }

        if (key is JsonObject or JsonArray)
        {
            throw new YamlException(keyEvent.Start, keyEvent.End, "invalid map key: a mapping or sequence cannot be a key");
        }

        map[KeyString(key)] = value;
    }

    /// <summary>"&lt;&lt;: *base" or "&lt;&lt;: [*a, *b]": copies the mappings' entries in (the first listed mapping wins).</summary>
    private static void Merge(JsonObject map, JsonNode? value, ParsingEvent at)
    {
        var sources = value switch
        {
            JsonObject single => [single],
            JsonArray many when many.All(m => m is JsonObject) => many.Select(m => (JsonObject)m!).Reverse().ToList(),
            _ => throw new YamlException(at.Start, at.End, "map merge requires map or sequence of maps as the value"),
        };
        foreach (var source in sources)
        {
            foreach (var (k, v) in source)
            {
                map[k] = v?.DeepClone();
            }
        }
    }

    private static JsonNode? Remember(Dictionary<string, JsonNode?> anchors, AnchorName anchor, JsonNode? node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    /// <summary>A map key as sigs.k8s.io/yaml turns non-string keys into JSON member names.</summary>
    private static string KeyString(JsonNode? key) => key switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => key.ToJsonString(),
    };
}
