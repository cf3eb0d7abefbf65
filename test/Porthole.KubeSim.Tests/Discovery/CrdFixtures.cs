using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Tests.Discovery;

/// <summary>The CronTab CRD of the Kubernetes documentation, with v1 (storage) and v1beta1 served.</summary>
internal static class CrdFixtures
{
    public static JsonObject CronTab() => JsonNode.Parse("""
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": { "name": "crontabs.stable.example.com" },
          "spec": {
            "group": "stable.example.com",
            "scope": "Namespaced",
            "names": { "plural": "crontabs", "singular": "crontab", "kind": "CronTab", "shortNames": ["ct"], "categories": ["all"] },
            "versions": [
              {
                "name": "v1beta1", "served": true, "storage": false,
                "schema": { "openAPIV3Schema": { "type": "object", "properties": { "spec": { "type": "object", "x-kubernetes-preserve-unknown-fields": true } } } }
              },
              {
                "name": "v1", "served": true, "storage": true,
                "subresources": { "status": {}, "scale": { "specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas" } },
                "schema": {
                  "openAPIV3Schema": {
                    "type": "object",
                    "properties": {
                      "spec": {
                        "type": "object",
                        "properties": {
                          "cronSpec": { "type": "string", "description": "The cron schedule of the job." },
                          "image": { "type": "string" },
                          "replicas": { "type": "integer" },
                          "template": { "type": "object", "x-kubernetes-preserve-unknown-fields": true },
                          "labels": { "type": "object", "additionalProperties": { "type": "string" } },
                          "steps": { "type": "array", "items": { "type": "object", "properties": { "name": { "type": "string" } } } }
                        }
                      },
                      "status": { "type": "object", "properties": { "replicas": { "type": "integer" } } }
                    }
                  }
                }
              },
              { "name": "v1alpha1", "served": false, "storage": false, "schema": { "openAPIV3Schema": { "type": "object" } } }
            ]
          }
        }
        """)!.AsObject();
}
