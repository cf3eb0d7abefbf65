using static Porthole.KubeSim.Tests.Query.TableConverterTests;

namespace Porthole.KubeSim.Tests.Query;

public sealed class TableConverterWorkloadTests
{
    [Fact]
    public void ToTable_StatefulSet_PrintsReadyOfDesired()
    {
        var sts = Obj("""
            {"metadata":{"name":"db","namespace":"shop","creationTimestamp":"2026-11-23T10:00:00Z"},
             "spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"pg","image":"postgres:17"}]}}},
             "status":{"replicas":3,"readyReplicas":2}}
            """);
        var table = Table(Type("apps", "v1", "statefulsets"), sts);
        Assert.Equal(["Name", "Ready", "Age", "Containers", "Images"], Columns(table));
        Assert.Equal(["db", "2/3", "120m", "pg", "postgres:17"], Cells(table));
    }

    [Fact]
    public void ToTable_DaemonSet_PrintsCountsAndNodeSelector()
    {
        var ds = Obj("""
            {"metadata":{"name":"kube-proxy","namespace":"kube-system","creationTimestamp":"2026-11-01T00:00:00Z"},
             "spec":{"selector":{"matchLabels":{"k8s-app":"kube-proxy"}},
               "template":{"spec":{"nodeSelector":{"kubernetes.io/os":"linux"},"containers":[{"name":"kube-proxy","image":"registry.k8s.io/kube-proxy:v1.31.2"}]}}},
             "status":{"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":2,"updatedNumberScheduled":3,"numberAvailable":2}}
            """);
        var table = Table(Type("apps", "v1", "daemonsets"), ds);
        Assert.Equal(["Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age", "Containers", "Images", "Selector"], Columns(table));
        Assert.Equal(
            ["kube-proxy", "3", "3", "2", "3", "2", "kubernetes.io/os=linux", "22d", "kube-proxy", "registry.k8s.io/kube-proxy:v1.31.2", "k8s-app=kube-proxy"],
            Cells(table));
    }

    [Fact]
    public void ToTable_ServiceAccount_CountsSecrets()
    {
        var sa = Obj("""{"metadata":{"name":"default","namespace":"shop","creationTimestamp":"2026-11-23T11:00:00Z"}}""");
        var table = Table(Type("", "v1", "serviceaccounts"), sa);
        Assert.Equal(["Name", "Secrets", "Age"], Columns(table));
        Assert.Equal(["default", "0", "60m"], Cells(table));
    }
}
