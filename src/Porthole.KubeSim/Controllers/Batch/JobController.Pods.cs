using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Controllers.Batch;

internal sealed partial class JobController
{
    /// <summary>Creates up to <paramref name="count"/> pods from the template (lowest missing indexes in Indexed mode); returns how many.</summary>
    private int CreatePods(JsonObject job, List<JsonObject> active, List<JsonObject> succeeded, int count, bool indexed, long completions)
    {
        var indexes = new Queue<long>();
        if (indexed)
        {
            var taken = active.Concat(succeeded).Select(Index).ToHashSet();
            for (long i = 0; i < completions && indexes.Count < count; i++)
            {
                if (!taken.Contains(i))
                {
                    indexes.Enqueue(i);
                }
            }

            count = indexes.Count;
        }

        for (var n = 0; n < count; n++)
        {
            var pod = Template(job, indexed ? indexes.Dequeue() : null);
            var created = _objects.Create(_pods, pod);
            _objects.Event(job, "Normal", "SuccessfulCreate", $"Created pod: {created.Name()}", Component);
        }

        return count;
    }

    /// <summary>A pod from the job's template, labelled and owned as the job controller does.</summary>
    private static JsonObject Template(JsonObject job, long? index)
    {
        var name = job.Name();
        var uid = job.Uid();
        var template = job.Obj("spec", "template")?.DeepClone().AsObject() ?? [];
        var meta = template.Obj("metadata") ?? [];
        var labels = meta.Obj("labels")?.DeepClone().AsObject() ?? [];
        foreach (var (k, v) in JobLabels(uid, name))
        {
            labels[k] = v;
        }

        var annotations = meta.Obj("annotations")?.DeepClone().AsObject() ?? [];
        var generateName = name + "-";
        if (index is { } i)
        {
            var text = i.ToString(CultureInfo.InvariantCulture);
            labels["batch.kubernetes.io/job-completion-index"] = text;
            annotations["batch.kubernetes.io/job-completion-index"] = text;
            generateName = $"{name}-{text}-";
        }

        var spec = template.Obj("spec")?.DeepClone().AsObject() ?? [];
        if (index is { } idx)
        {
            foreach (var c in spec.Arr("containers")?.OfType<JsonObject>() ?? [])
            {
                var env = c.Arr("env") ?? [];
                env.Add(new JsonObject { ["name"] = "JOB_COMPLETION_INDEX", ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.labels['batch.kubernetes.io/job-completion-index']" } } });
                c["env"] = env;
            }

            spec["hostname"] ??= $"{name}-{idx.ToString(CultureInfo.InvariantCulture)}";
        }

        var metadata = new JsonObject
        {
            ["generateName"] = generateName,
            ["namespace"] = job.Namespace(),
            ["labels"] = labels,
            ["ownerReferences"] = new JsonArray(ControllerObjects.OwnerReference(job, "batch/v1", "Job")),
        };
        if (annotations.Count > 0)
        {
            metadata["annotations"] = annotations;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = spec,
        };
    }

    /// <summary>Deletes the job's running pods (finished, failed or suspended job); returns how many.</summary>
    private int DeleteActive(JsonObject job, List<JsonObject> pods, bool announce)
    {
        var deleted = 0;
        foreach (var pod in pods.Where(IsActive))
        {
            DeletePod(job, pod, announce);
            deleted++;
        }

        return deleted;
    }

    private void DeletePod(JsonObject job, JsonObject pod, bool announce)
    {
        try
        {
            _objects.Sim.Controllers.Deleter.Delete(_pods, pod.Namespace(), pod.Name(), DeleteOptions.Default with { PreconditionUid = pod.Uid() });
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            return;
        }

        if (announce)
        {
            _objects.Event(job, "Normal", "SuccessfulDelete", $"Deleted pod: {pod.Name()}", Component);
        }
    }
}
