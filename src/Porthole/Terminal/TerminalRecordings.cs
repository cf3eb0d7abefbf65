using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Porthole.Hosting;
using Porthole.Storage;

namespace Porthole.Terminal;

/// <summary>
/// The asciicast recordings under {dataDir}/recordings, one per terminal, named by its recording
/// id (32 hex digits). Who made one: the running terminal's user while it runs, afterwards the
/// user of its audit entry (verb exec, details.recording = id).
/// </summary>
public sealed partial class TerminalRecordings(PortholeOptions options, PortholeStore store, AuditLog audit)
{
    private readonly ConcurrentDictionary<string, string> _running = new(StringComparer.Ordinal);

    public string Directory => System.IO.Path.Combine(options.DataDir, "recordings");

    /// <summary>A fresh recording id.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>True for what <see cref="NewId"/> makes (and kubecube shell ids): 32 lowercase hex digits, nothing a path could use.</summary>
    public static bool IsValidId(string id) => ValidId().IsMatch(id);

    /// <summary>The file of a recording id (which must be valid).</summary>
    public string PathOf(string id) => System.IO.Path.Combine(Directory, id + ".cast");

    /// <summary>Marks <paramref name="id"/> as being recorded for <paramref name="user"/> until disposed.</summary>
    public IDisposable Running(string id, string user)
    {
        _running[id] = user;
        return new Registration(() => _running.TryRemove(new KeyValuePair<string, string>(id, user)));
    }

    /// <summary>The user who made recording <paramref name="id"/>, or null when nobody is known to have.</summary>
    public async Task<string?> OwnerAsync(string id, CancellationToken ct)
    {
        if (_running.TryGetValue(id, out var user))
        {
            return user;
        }

        await audit.FlushAsync(ct); // a terminal that just ended is audited
        return _running.TryGetValue(id, out user) ? user : store.RecordingOwner(id);
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex ValidId();

    private sealed class Registration(Action remove) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                remove();
            }
        }
    }
}
