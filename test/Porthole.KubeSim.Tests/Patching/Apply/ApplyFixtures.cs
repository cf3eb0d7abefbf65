using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Patching.Apply;

namespace Porthole.KubeSim.Tests.Patching.Apply;

/// <summary>Realistic objects and helpers shared by the apply and managed-fields tests.</summary>
internal static class ApplyFixtures
{
    public static readonly ResourceRegistry Registry = new();
    public static readonly ResourceType Deployments = Registry.Find("apps", "v1", "deployments")!;
    public static readonly ResourceType ConfigMaps = Registry.Find("", "v1", "configmaps")!;
    public static readonly DateTimeOffset T0 = new(2026, 11, 23, 20, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset T1 = T0.AddMinutes(5);

    public static JsonObject J(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonObject Deployment(int replicas = 2, string image = "nginx:1.25", string labels = """{"app":"web"}""") => J($$$"""
        {
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": {"name": "web", "namespace": "default", "labels": {{{labels}}}},
          "spec": {
            "replicas": {{{replicas}}},
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
              "metadata": {"labels": {"app": "web"}},
              "spec": {"containers": [{"name": "nginx", "image": "{{{image}}}", "ports": [{"containerPort": 80}]}]}
            }
          }
        }
        """);

    /// <summary>What the caller does around an apply or create: stamps the identity the store adds.</summary>
    public static JsonObject Stored(JsonObject obj)
    {
        var meta = obj.Metadata();
        meta["uid"] ??= "0b4f7c3a-1111-2222-3333-444455556666";
        meta["resourceVersion"] ??= "1";
        meta["creationTimestamp"] ??= "2026-11-23T20:00:00Z";
        return obj;
    }

    public static JsonArray Managed(JsonObject obj) => obj.Arr("metadata", "managedFields")!;

    public static JsonObject Entry(JsonObject obj, string manager, string operation = "Apply") =>
        Managed(obj).OfType<JsonObject>().Single(e => e.Str("manager") == manager && e.Str("operation") == operation);

    public static string Fields(JsonObject entry) => FieldSet.FromFieldsV1(entry.Obj("fieldsV1")!).ToFieldsV1Json();
}
