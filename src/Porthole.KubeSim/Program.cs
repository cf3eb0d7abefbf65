namespace Porthole.KubeSim;

internal static class Program
{
    public static int Main() => 0;
}
