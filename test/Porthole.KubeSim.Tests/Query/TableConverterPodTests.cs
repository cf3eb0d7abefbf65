using Porthole.KubeSim.Query;
using static Porthole.KubeSim.Tests.Query.TableConverterTests;

namespace Porthole.KubeSim.Tests.Query;

public sealed class TableConverterPodTests
{
    private static string[] PodCells(string json) => Cells(Table(Type("", "v1", "pods"), Obj(json)));

    [Fact]
    public void ToTable_Pod_HasThePodColumnsWithWideOnes()
    {
        var table = Table(Type("", "v1", "pods"));
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"], Columns(table));
        var priorities = table["columnDefinitions"]!.AsArray().Select(c => c!["priority"]!.GetValue<int>()).ToArray();
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1], priorities);
    }

    [Fact]
    public void ToTable_RunningPodWithRestarts_ShowsLastRestartAge()
    {
        var cells = PodCells("""
            {"metadata":{"name":"web-1","namespace":"shop","creationTimestamp":"2026-11-23T09:00:00Z"},
             "spec":{"nodeName":"node-a","containers":[{"name":"web"},{"name":"log"}],"readinessGates":[{"conditionType":"example.com/lb"}]},
             "status":{"phase":"Running","podIP":"10.244.1.7","podIPs":[{"ip":"10.244.1.7"}],
               "conditions":[{"type":"Ready","status":"True"},{"type":"example.com/lb","status":"True"}],
               "containerStatuses":[
                 {"name":"web","ready":true,"restartCount":3,"state":{"running":{"startedAt":"2026-11-23T11:58:00Z"}},
                  "lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled","finishedAt":"2026-11-23T11:58:00Z"}}},
                 {"name":"log","ready":true,"restartCount":0,"state":{"running":{"startedAt":"2026-11-23T09:00:05Z"}}}]}}
            """);
        Assert.Equal(["web-1", "2/2", "Running", "3 (2m ago)", "3h", "10.244.1.7", "node-a", "<none>", "1/1"], cells);
    }

    [Fact]
    public void ToTable_PendingPod_ShowsContainerCreating()
    {
        var cells = PodCells("""
            {"metadata":{"name":"web-2","namespace":"shop","creationTimestamp":"2026-11-23T11:59:50Z"},
             "spec":{"nodeName":"node-b","containers":[{"name":"web"}]},
             "status":{"phase":"Pending","containerStatuses":[{"name":"web","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}}]}}
            """);
        Assert.Equal(["web-2", "0/1", "ContainerCreating", "0", "10s", "<none>", "node-b", "<none>", "<none>"], cells);
    }

    [Fact]
    public void ToTable_UnscheduledPod_ShowsPending()
    {
        var cells = PodCells("""
            {"metadata":{"name":"big","creationTimestamp":"2026-11-23T11:00:00Z"},
             "spec":{"containers":[{"name":"c"}]},
             "status":{"phase":"Pending","nominatedNodeName":"node-c","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable"}]}}
            """);
        Assert.Equal(["big", "0/1", "Pending", "0", "60m", "<none>", "<none>", "node-c", "<none>"], cells);
    }

    [Fact]
    public void ToTable_CrashLoopingPod_ShowsCrashLoopBackOff()
    {
        var cells = PodCells("""
            {"metadata":{"name":"api-1","creationTimestamp":"2026-11-22T12:00:00Z"},
             "spec":{"containers":[{"name":"api"}]},
             "status":{"phase":"Running","podIPs":[{"ip":"10.244.2.3"}],
               "containerStatuses":[{"name":"api","ready":false,"restartCount":12,
                 "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 5m0s"}},
                 "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"2026-11-23T11:57:30Z"}}}]}}
            """);
        Assert.Equal(["api-1", "0/1", "CrashLoopBackOff", "12 (2m30s ago)", "24h", "10.244.2.3", "<none>", "<none>", "<none>"], cells);
    }

    [Fact]
    public void ToTable_ImagePullBackOff_ShowsWaitingReason()
    {
        var cells = PodCells("""
            {"metadata":{"name":"p","creationTimestamp":"2026-11-23T11:59:00Z"},"spec":{"containers":[{"name":"c"}]},
             "status":{"phase":"Pending","containerStatuses":[{"name":"c","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ImagePullBackOff"}}}]}}
            """);
        Assert.Equal("ImagePullBackOff", cells[2]);
    }

    [Theory]
    [InlineData("""{"terminated":{"exitCode":0,"reason":"Completed"}}""", "Succeeded", "Completed")]
    [InlineData("""{"terminated":{"exitCode":2,"reason":"Error"}}""", "Failed", "Error")]
    [InlineData("""{"terminated":{"exitCode":3}}""", "Failed", "ExitCode:3")]
    [InlineData("""{"terminated":{"exitCode":0,"signal":9}}""", "Failed", "Signal:9")]
    public void ToTable_TerminatedContainer_ShowsTerminationReason(string state, string phase, string expected)
    {
        var json = """
            {"metadata":{"name":"job-x","creationTimestamp":"2026-11-23T11:00:00Z"},"spec":{"containers":[{"name":"c"}]},
             "status":{"phase":"PHASE","containerStatuses":[{"name":"c","ready":false,"restartCount":0,"state":STATE}]}}
            """.Replace("PHASE", phase, StringComparison.Ordinal).Replace("STATE", state, StringComparison.Ordinal);
        var table = Table(Type("", "v1", "pods"), Obj(json));
        Assert.Equal(expected, Cells(table)[2]);
        var condition = table["rows"]![0]!["conditions"]![0]!;
        Assert.Equal("Completed", condition["type"]!.GetValue<string>());
        Assert.Equal(phase, condition["reason"]!.GetValue<string>());
    }

    [Fact]
    public void ToTable_PodInitializing_ShowsInitProgress()
    {
        var cells = PodCells("""
            {"metadata":{"name":"db-0","creationTimestamp":"2026-11-23T11:59:00Z"},
             "spec":{"initContainers":[{"name":"migrate"},{"name":"seed"}],"containers":[{"name":"db"}]},
             "status":{"phase":"Pending",
               "initContainerStatuses":[
                 {"name":"migrate","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
                 {"name":"seed","ready":false,"restartCount":0,"state":{"running":{"startedAt":"2026-11-23T11:59:30Z"}}}],
               "containerStatuses":[{"name":"db","ready":false,"restartCount":0,"state":{"waiting":{"reason":"PodInitializing"}}}]}}
            """);
        Assert.Equal(["db-0", "0/1", "Init:1/2", "0", "60s", "<none>", "<none>", "<none>", "<none>"], cells);
    }

    [Fact]
    public void ToTable_FailingInitContainer_ShowsInitReason()
    {
        var cells = PodCells("""
            {"metadata":{"name":"db-0","creationTimestamp":"2026-11-23T11:59:00Z"},
             "spec":{"initContainers":[{"name":"migrate"}],"containers":[{"name":"db"}]},
             "status":{"phase":"Pending","initContainerStatuses":[
               {"name":"migrate","ready":false,"restartCount":4,"state":{"waiting":{"reason":"CrashLoopBackOff"}},
                "lastState":{"terminated":{"exitCode":1,"finishedAt":"2026-11-23T11:59:40Z"}}}]}}
            """);
        Assert.Equal(["db-0", "0/1", "Init:CrashLoopBackOff", "4 (20s ago)", "60s", "<none>", "<none>", "<none>", "<none>"], cells);
    }

    [Fact]
    public void ToTable_SidecarInitContainer_CountsTowardsReady()
    {
        var cells = PodCells("""
            {"metadata":{"name":"app","creationTimestamp":"2026-11-23T11:00:00Z"},
             "spec":{"initContainers":[{"name":"proxy","restartPolicy":"Always"}],"containers":[{"name":"app"}]},
             "status":{"phase":"Running","conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"True"}],
               "initContainerStatuses":[{"name":"proxy","ready":true,"started":true,"restartCount":0,"state":{"running":{}}}],
               "containerStatuses":[{"name":"app","ready":true,"restartCount":0,"state":{"running":{}}}]}}
            """);
        Assert.Equal("2/2", cells[1]);
        Assert.Equal("Running", cells[2]);
    }

    [Fact]
    public void ToTable_DeletedPod_ShowsTerminating()
    {
        var cells = PodCells("""
            {"metadata":{"name":"web-3","creationTimestamp":"2026-11-23T10:00:00Z","deletionTimestamp":"2026-11-23T11:59:55Z"},
             "spec":{"containers":[{"name":"web"}]},
             "status":{"phase":"Running","containerStatuses":[{"name":"web","ready":true,"restartCount":0,"state":{"running":{}}}]}}
            """);
        Assert.Equal("Terminating", cells[2]);
        Assert.Equal("1/1", cells[1]);
    }

    [Fact]
    public void ToTable_CompletedWithRunningContainer_ShowsNotReady()
    {
        var cells = PodCells("""
            {"metadata":{"name":"p","creationTimestamp":"2026-11-23T11:00:00Z"},"spec":{"containers":[{"name":"a"},{"name":"b"}]},
             "status":{"phase":"Running","conditions":[{"type":"Ready","status":"False"}],"containerStatuses":[
               {"name":"a","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
               {"name":"b","ready":true,"restartCount":0,"state":{"running":{}}}]}}
            """);
        Assert.Equal("NotReady", cells[2]);
    }
}
