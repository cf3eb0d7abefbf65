namespace Porthole.KubeSim.Tests.Kubectl;

/// <summary>
/// The one simulator every kubectl version's scenario class runs against. Each version is its
/// own test class, hence its own xunit collection, so the versions run in parallel; this class
/// fixture hands each of them the same <see cref="SimFixture"/>, started by the first class to
/// need it and stopped when the last one is done (reference-counted).
/// </summary>
public sealed class KubectlCluster : IAsyncLifetime
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static SimFixture? _shared;
    private static int _users;
    private SimFixture? _sim;

    public SimFixture Sim => _sim ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                var sim = new SimFixture();
                await sim.InitializeAsync();
                _shared = sim;
            }

            _users++;
            _sim = _shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    public async Task DisposeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (--_users == 0 && _shared is not null)
            {
                await _shared.DisposeAsync();
                _shared = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
