using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Tests.Patching;

/// <summary>Realistic objects for the patch tests, as the API server would hold them.</summary>
internal static class Fixtures
{
    /// <summary>The Deployment of the Kubernetes "kubectl patch" task page (patch-demo).</summary>
    public static JsonObject PatchDemo() => Obj("""
        {
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": { "name": "patch-demo", "namespace": "default", "labels": { "app": "nginx" }, "finalizers": ["example.com/a"] },
          "spec": {
            "replicas": 2,
            "selector": { "matchLabels": { "app": "nginx" } },
            "strategy": { "type": "RollingUpdate", "rollingUpdate": { "maxSurge": "30%", "maxUnavailable": "30%" } },
            "template": {
              "metadata": { "labels": { "app": "nginx" } },
              "spec": {
                "containers": [
                  {
                    "name": "patch-demo-ctr",
                    "image": "nginx",
                    "env": [ { "name": "A", "value": "1" }, { "name": "B", "value": "2" } ],
                    "ports": [ { "containerPort": 80, "protocol": "TCP" } ],
                    "volumeMounts": [ { "name": "data", "mountPath": "/data" } ]
                  },
                  { "name": "sidecar", "image": "busybox" }
                ],
                "volumes": [ { "name": "data", "emptyDir": {} } ],
                "tolerations": [ { "effect": "NoSchedule", "key": "dedicated", "value": "test-team" } ]
              }
            }
          }
        }
        """);

    public static JsonObject Service() => Obj("""
        {
          "apiVersion": "v1",
          "kind": "Service",
          "metadata": { "name": "web", "namespace": "default" },
          "spec": {
            "selector": { "app": "web" },
            "ports": [ { "name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP" } ]
          }
        }
        """);

    public static JsonObject Pod() => Obj("""
        {
          "apiVersion": "v1",
          "kind": "Pod",
          "metadata": { "name": "p", "namespace": "default" },
          "spec": { "containers": [ { "name": "app", "image": "nginx" } ] },
          "status": {
            "phase": "Running",
            "conditions": [
              { "type": "Initialized", "status": "True" },
              { "type": "Ready", "status": "False" }
            ]
          }
        }
        """);

    public static JsonObject ConfigMap() => Obj("""
        { "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "cm", "namespace": "default" }, "data": { "a": "1", "b": "2" } }
        """);

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonArray Arr(string json) => JsonNode.Parse(json)!.AsArray();

    public static JsonArray Containers(JsonObject deployment) => deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray();

    public static IEnumerable<string> Names(JsonArray items) => items.Select(i => (string)i!["name"]!);
}
