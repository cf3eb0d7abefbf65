using Porthole.Storage;

namespace Porthole.Auth.Local;

/// <summary>
/// Failed sign-ins per (username, client IP): after <see cref="MaxFailures"/> failures within
/// <see cref="Window"/>, further attempts are refused until the window has passed. A success
/// clears the count. The counts live in the store, so every replica sees the same lockout
/// (and a restart does not lift it). Time comes from the injected clock.
/// </summary>
public sealed class LoginThrottle(PortholeStore store, TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>How long this user+IP must wait before trying again; null when it may try now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string username, string ip, CancellationToken ct)
    {
        if (await store.LoginFailuresAsync(Key(username), ip, ct) is not { } f)
        {
            return null;
        }

        var wait = f.WindowStart + Window - time.GetUtcNow();
        return f.Count >= MaxFailures && wait > TimeSpan.Zero ? wait : null;
    }

    public Task FailedAsync(string username, string ip, CancellationToken ct) => store.LoginFailedAsync(Key(username), ip, time.GetUtcNow(), Window, ct);

    public Task SucceededAsync(string username, string ip, CancellationToken ct) => store.LoginSucceededAsync(Key(username), ip, ct);

    private static string Key(string username) => username.ToUpperInvariant();
}
