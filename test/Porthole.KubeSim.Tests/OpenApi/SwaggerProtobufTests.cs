using System.Text.Json.Nodes;
using Google.Protobuf;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.OpenApi;

namespace Porthole.KubeSim.Tests.OpenApi;

/// <summary>The gnostic openapi.v2.Document protobuf of /openapi/v2, read back field by field.</summary>
public sealed class SwaggerProtobufTests
{
    [Fact]
    public void Encode_SmallDocument_FieldsWhereGnosticReadsThem()
    {
        var swagger = JsonNode.Parse("""
            {"swagger":"2.0","info":{"title":"Kubernetes","version":"v1.31.0"},
             "paths":{"/api/v1/namespaces/{namespace}/configmaps/{name}":{
               "parameters":[{"name":"name","in":"path","required":true,"type":"string","uniqueItems":true}],
               "patch":{"operationId":"patchCoreV1NamespacedConfigMap","consumes":["application/json-patch+json"],
                 "parameters":[{"name":"fieldValidation","in":"query","type":"string","uniqueItems":true},
                               {"name":"body","in":"body","required":true,"schema":{"$ref":"#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"}}],
                 "responses":{"200":{"description":"OK","schema":{"$ref":"#/definitions/io.k8s.api.core.v1.ConfigMap"}}},
                 "x-kubernetes-group-version-kind":{"group":"","kind":"ConfigMap","version":"v1"}}}},
             "definitions":{"io.k8s.api.core.v1.ConfigMap":{"type":"object","description":"Holds configuration data.",
               "required":["metadata"],
               "properties":{"data":{"type":"object","additionalProperties":{"type":"string"}},
                             "immutable":{"type":"boolean"}},
               "x-kubernetes-group-version-kind":[{"group":"","kind":"ConfigMap","version":"v1"}]}}}
            """)!.AsObject();

        var doc = Fields(SwaggerProtobuf.Encode(swagger));

        Assert.Equal("2.0", Text(doc, 1));
        Assert.Equal("v1.31.0", Text(Fields(Bytes(doc, 2)), 2));

        var path = Fields(Bytes(Fields(Bytes(doc, 8)), 2));
        Assert.Equal("/api/v1/namespaces/{namespace}/configmaps/{name}", Text(path, 1));
        var item = Fields(Bytes(path, 2));
        var pathParameter = Fields(Bytes(Fields(Bytes(Fields(Bytes(Fields(Bytes(item, 9)), 1)), 2)), 4));
        Assert.Equal(("name", "path", "string", 1UL), (Text(pathParameter, 4), Text(pathParameter, 2), Text(pathParameter, 5), Varint(pathParameter, 1)));

        var patch = Fields(Bytes(item, 8));
        Assert.Equal("patchCoreV1NamespacedConfigMap", Text(patch, 5));
        var parameters = patch.Where(f => f.Field == 8).Select(f => Fields((byte[])Fields((byte[])f.Value).Single().Value)).ToList();
        var query = Fields(Bytes(Fields(Bytes(parameters[0], 2)), 3));
        Assert.Equal(("fieldValidation", "query"), (Text(query, 4), Text(query, 2)));
        var body = Fields(Bytes(parameters[1], 1));
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch", Text(Fields(Bytes(body, 5)), 1));
        var gvk = Fields(Bytes(patch, 13));
        Assert.Equal("x-kubernetes-group-version-kind", Text(gvk, 1));
        Assert.Equal("""{"group":"","kind":"ConfigMap","version":"v1"}""" + "\n", Text(Fields(Bytes(gvk, 2)), 2));

        var definition = Fields(Bytes(Fields(Bytes(doc, 9)), 1));
        Assert.Equal("io.k8s.api.core.v1.ConfigMap", Text(definition, 1));
        var schema = Fields(Bytes(definition, 2));
        Assert.Equal("Holds configuration data.", Text(schema, 4));
        Assert.Equal("metadata", Text(schema, 19));
        Assert.Equal("object", Text(Fields(Bytes(schema, 22)), 1));
        var properties = Fields(Bytes(schema, 25)).Select(f => Fields((byte[])f.Value)).ToList();
        Assert.Equal(["data", "immutable"], properties.Select(p => Text(p, 1)));
        var additional = Fields(Bytes(Fields(Bytes(properties[0], 2)), 21));
        Assert.Equal("string", Text(Fields(Bytes(Fields(Bytes(additional, 1)), 22)), 1));
        Assert.Equal("x-kubernetes-group-version-kind", Text(Fields(Bytes(schema, 31)), 1));
    }

    [Fact]
    public void Encode_ServedDocument_EveryDefinitionOnce()
    {
        var docs = new OpenApiDocuments(new ResourceRegistry());
        var json = JsonNode.Parse(docs.V2().Body)!.AsObject();
        var proto = docs.V2Protobuf();

        Assert.Equal(SwaggerProtobuf.MediaType, proto.ContentType);
        var definitions = Fields(Bytes(Fields(proto.Body), 9)).Select(f => Text(Fields((byte[])f.Value), 1)).ToList();
        Assert.Equal(json["definitions"]!.AsObject().Select(d => d.Key), definitions);
        Assert.Equal(json["paths"]!.AsObject().Count, Fields(Bytes(Fields(proto.Body), 8)).Count(f => f.Field == 2));
    }

    private static List<(int Field, object Value)> Fields(byte[] message)
    {
        var input = new CodedInputStream(message);
        var fields = new List<(int, object)>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            object value = WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.Varint => input.ReadUInt64(),
                WireFormat.WireType.Fixed64 => input.ReadDouble(),
                WireFormat.WireType.LengthDelimited => input.ReadBytes().ToByteArray(),
                var other => throw new InvalidDataException($"unexpected wire type {other}"),
            };
            fields.Add((WireFormat.GetTagFieldNumber(tag), value));
        }

        return fields;
    }

    private static byte[] Bytes(List<(int Field, object Value)> fields, int field) => (byte[])fields.Single(f => f.Field == field).Value;

    private static string Text(List<(int Field, object Value)> fields, int field) => System.Text.Encoding.UTF8.GetString(Bytes(fields, field));

    private static ulong Varint(List<(int Field, object Value)> fields, int field) => (ulong)fields.Single(f => f.Field == field).Value;
}
