using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Query;

/// <content>Printers for jobs and cron jobs.</content>
public static partial class TableConverter
{
    private const string JobSelectorDescription =
        "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

    private static readonly Printer JobPrinter = new(
        [
            NameColumn,
            new("Status", "string", "Status of the job."),
            new("Completions", "string", "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs."),
            new("Duration", "string", "Time required to complete the job."),
            AgeColumn,
            ContainersColumn,
            ImagesColumn,
            new("Selector", "string", JobSelectorDescription, 1),
        ],
        JobRow);

    private static PrintedRow JobRow(JsonObject job, DateTimeOffset now)
    {
        var succeeded = job.Long("status", "succeeded") ?? 0;
        string completions;
        if (job.Long("spec", "completions") is { } wanted)
        {
            completions = Inv($"{succeeded}/{wanted}");
        }
        else
        {
            var parallelism = job.Long("spec", "parallelism") ?? 0;
            completions = parallelism > 1 ? Inv($"{succeeded}/1 of {parallelism}") : Inv($"{succeeded}/1");
        }

        var duration = "";
        if (HumanDuration.TryParse(job.Str("status", "startTime"), out var started))
        {
            duration = HumanDuration.TryParse(job.Str("status", "completionTime"), out var completed)
                ? HumanDuration.Format(completed - started)
                : HumanDuration.Format(now - started);
        }

        var conditions = job.Arr("status", "conditions")?.OfType<JsonObject>().ToList() ?? [];
        bool Has(string type) => conditions.Any(c => c.Str("type") == type && c.Str("status") == "True");
        string status;
        if (Has("Complete"))
        {
            status = "Complete";
        }
        else if (Has("Failed"))
        {
            status = "Failed";
        }
        else if (job.Str("metadata", "deletionTimestamp") is not null)
        {
            status = "Terminating";
        }
        else
        {
            status = new[] { "Suspended", "FailureTarget", "SuccessCriteriaMet" }.FirstOrDefault(Has) ?? "Running";
        }

        var (containers, images) = ContainerCells(job);
        return new PrintedRow(Cells(
            job.Name(),
            status,
            completions,
            duration,
            Age(job, now),
            containers,
            images,
            OrNone(LabelSelector.FromJson(job.Obj("spec", "selector")).ToString())));
    }

    private static readonly Printer CronJobPrinter = new(
        [
            NameColumn,
            new("Schedule", "string", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
            new("Timezone", "string", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process."),
            new("Suspend", "boolean", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false."),
            new("Active", "integer", "A list of pointers to currently running jobs."),
            new("Last Schedule", "string", "Information when was the last time the job was successfully scheduled."),
            AgeColumn,
            ContainersColumn,
            ImagesColumn,
            new("Selector", "string", JobSelectorDescription, 1),
        ],
        (cj, now) =>
        {
            var template = cj.Obj("spec", "jobTemplate") ?? new JsonObject();
            var (containers, images) = ContainerCells(template);
            var last = cj.Str("status", "lastScheduleTime");
            var suspend = cj.Bool("spec", "suspend");
            return new PrintedRow(Cells(
                cj.Name(),
                cj.Str("spec", "schedule") ?? "",
                cj.Str("spec", "timeZone") ?? "<none>",
                suspend is null ? "<unset>" : suspend.Value ? "true" : "false",
                (long)(cj.Arr("status", "active")?.Count ?? 0),
                last is null ? "<none>" : HumanDuration.Since(last, now),
                Age(cj, now),
                containers,
                images,
                OrNone(LabelSelector.FromJson(template.Obj("spec", "selector")).ToString())));
        });
}
