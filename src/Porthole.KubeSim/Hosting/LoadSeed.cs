using System.Globalization;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Hosting;

/// <summary>
/// `--pods N`: N pods in namespace "load", built from one defaulted template that only gets a
/// new name and uid per pod, so 100,000 pods cost one serialisation each and nothing more.
/// </summary>
internal static class LoadSeed
{
    public const string Namespace = "load";

    public static void AddPods(ObjectStore store, ResourceRegistry registry, Seeder seeder, int count)
    {
        seeder.Add(Seeder.Namespace(Namespace));
        var pods = registry.Find("", "v1", "pods") ?? throw new InvalidOperationException("pods are not registered");
        var template = Seeder.Pod(Namespace, "load", new Dictionary<string, string> { ["app"] = "load" }, ("app", "nginx:1.27"));
        var meta = template.Metadata();
        meta["creationTimestamp"] = Server.ObjectRules.Timestamp(store.Time.GetUtcNow());
        for (var i = 0; i < count; i++)
        {
            var name = "load-" + i.ToString("D6", CultureInfo.InvariantCulture);
            if (store.Get(pods, Namespace, name) is not null)
            {
                continue;
            }

            meta["name"] = name;
            meta["uid"] = Guid.NewGuid().ToString();
            store.Create(pods, template);
        }
    }
}
