using static Porthole.KubeSim.Tests.Query.TableConverterTests;

namespace Porthole.KubeSim.Tests.Query;

public sealed class TableConverterBatchTests
{
    [Fact]
    public void ToTable_CompletedJob_PrintsCompleteAndDuration()
    {
        var job = Obj("""
            {"metadata":{"name":"pi","namespace":"shop","creationTimestamp":"2026-11-23T11:00:00Z"},
             "spec":{"completions":1,"parallelism":1,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"u1"}},
               "template":{"spec":{"containers":[{"name":"pi","image":"perl:5.34"}]}}},
             "status":{"succeeded":1,"startTime":"2026-11-23T11:00:00Z","completionTime":"2026-11-23T11:00:42Z",
               "conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}}
            """);
        var table = Table(Type("batch", "v1", "jobs"), job);
        Assert.Equal(["Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector"], Columns(table));
        Assert.Equal(["pi", "Complete", "1/1", "42s", "60m", "pi", "perl:5.34", "batch.kubernetes.io/controller-uid=u1"], Cells(table));
    }

    [Fact]
    public void ToTable_RunningParallelJob_PrintsRunningAndElapsed()
    {
        var job = Obj("""
            {"metadata":{"name":"work","creationTimestamp":"2026-11-23T11:55:00Z"},
             "spec":{"parallelism":3,"template":{"spec":{"containers":[{"name":"w","image":"busybox"}]}}},
             "status":{"succeeded":0,"active":3,"startTime":"2026-11-23T11:55:00Z"}}
            """);
        var cells = Cells(Table(Type("batch", "v1", "jobs"), job));
        Assert.Equal(["work", "Running", "0/1 of 3", "5m", "5m", "w", "busybox", "<none>"], cells);
    }

    [Fact]
    public void ToTable_CronJob_PrintsScheduleAndLastSchedule()
    {
        var cj = Obj("""
            {"metadata":{"name":"backup","creationTimestamp":"2026-11-20T00:00:00Z"},
             "spec":{"schedule":"0 * * * *","suspend":false,
               "jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"restic"}]}}}}},
             "status":{"active":[{"name":"backup-1"}],"lastScheduleTime":"2026-11-23T11:00:00Z"}}
            """);
        var table = Table(Type("batch", "v1", "cronjobs"), cj);
        Assert.Equal(["Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age", "Containers", "Images", "Selector"], Columns(table));
        Assert.Equal(["backup", "0 * * * *", "<none>", "false", "1", "60m", "3d12h", "b", "restic", "<none>"], Cells(table));
    }
}
