using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Porthole.KubeSim.Exec;

/// <summary>
/// A child process running on its own pseudo-terminal: it is a session leader whose controlling
/// terminal, stdin, stdout and stderr are the slave side; the parent talks to it through
/// <see cref="Master"/>. Spawned with posix_spawn (never fork from .NET), reaped with waitpid.
/// </summary>
public sealed unsafe class Pty : IDisposable
{
    private readonly SafeFileHandle _master;
    private readonly PtyStream _stream;
    private int _disposed;

    private Pty(SafeFileHandle master, int pid)
    {
        _master = master;
        ProcessId = pid;
        _stream = new PtyStream(master);
        Exited = Task.Factory.StartNew(() => Reap(pid), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The process id of the child (also its session and process group id).</summary>
    public int ProcessId { get; }

    /// <summary>The master side: reads give the terminal output, writes are typed input. Reads end (0) when the terminal hangs up.</summary>
    public Stream Master => _stream;

    /// <summary>Completes with the exit code (128 + signal when killed by a signal).</summary>
    public Task<int> Exited { get; }

    /// <summary>Starts <paramref name="executable"/> with <paramref name="argv"/> (argv[0] included) on a new terminal.</summary>
    public static Pty Start(string executable, IReadOnlyList<string> argv, string workingDirectory, IReadOnlyDictionary<string, string> environment, ushort columns = 80, ushort rows = 24)
    {
        ArgumentOutOfRangeException.ThrowIfZero(argv.Count);
        var fd = Native.PosixOpenPt(Native.ORdWr | Native.ONoCtty | Native.OCloExec);
        if (fd < 0)
        {
            throw Errno("posix_openpt");
        }

        var master = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (Native.GrantPt(fd) != 0)
            {
                throw Errno("grantpt");
            }

            if (Native.UnlockPt(fd) != 0)
            {
                throw Errno("unlockpt");
            }

            var name = stackalloc byte[256];
            var rc = Native.PtsNameR(fd, name, 256);
            if (rc != 0)
            {
                throw new Win32Exception(rc, "ptsname_r failed");
            }

            SetSize(fd, columns, rows);
            var slavePath = Marshal.PtrToStringUTF8((nint)name)!;
            var env = environment.Select(kv => $"{kv.Key}={kv.Value}").ToList();
            var pid = Spawn(executable, argv, env, workingDirectory, slavePath);
            return new Pty(master, pid);
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    /// <summary>Sets the terminal size (TIOCSWINSZ); the foreground process group gets SIGWINCH.</summary>
    public void Resize(ushort columns, ushort rows)
    {
        var added = false;
        _master.DangerousAddRef(ref added);
        try
        {
            SetSize((int)_master.DangerousGetHandle(), columns, rows);
        }
        finally
        {
            if (added)
            {
                _master.DangerousRelease();
            }
        }
    }

    /// <summary>Kills the child's whole process group (SIGKILL), e.g. when the client goes away.</summary>
    public void Kill()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        _ = Native.Kill(-ProcessId, Native.SigKill);
        if (!Exited.IsCompleted)
        {
            _ = Native.Kill(ProcessId, Native.SigKill);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!Exited.IsCompleted)
        {
            _ = Native.Kill(-ProcessId, Native.SigKill);
            _ = Native.Kill(ProcessId, Native.SigKill);
            Exited.Wait();
        }

        _stream.Dispose();
        _master.Dispose();
    }

    private static void SetSize(int fd, ushort columns, ushort rows)
    {
        var size = new Native.WinSize { Cols = columns, Rows = rows };
        if (Native.IoctlWinSize(fd, Native.TiocSWinSz, ref size) != 0)
        {
            throw Errno("ioctl(TIOCSWINSZ)");
        }
    }

    private static int Reap(int pid)
    {
        int status;
        while (true)
        {
            if (Native.WaitPid(pid, &status, 0) == pid)
            {
                break;
            }

            if (Marshal.GetLastPInvokeError() != Native.EIntr)
            {
                return -1;
            }
        }

        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    private static int Spawn(string executable, IReadOnlyList<string> argv, IReadOnlyList<string> env, string cwd, string slavePath)
    {
        var allocations = new List<nint>();
        var actions = NativeMemory.AllocZeroed(Native.FileActionsSize);
        var attr = NativeMemory.AllocZeroed(Native.SpawnAttrSize);
        var mask = NativeMemory.AllocZeroed(Native.SigSetSize);
        var defaults = NativeMemory.AllocZeroed(Native.SigSetSize);
        var argvBlock = (byte**)NativeMemory.AllocZeroed((nuint)(argv.Count + 1), (nuint)sizeof(nint));
        var envBlock = (byte**)NativeMemory.AllocZeroed((nuint)(env.Count + 1), (nuint)sizeof(nint));
        byte* Utf8(string s)
        {
            var p = Marshal.StringToCoTaskMemUTF8(s);
            allocations.Add(p);
            return (byte*)p;
        }

        try
        {
            for (var i = 0; i < argv.Count; i++)
            {
                argvBlock[i] = Utf8(argv[i]);
            }

            for (var i = 0; i < env.Count; i++)
            {
                envBlock[i] = Utf8(env[i]);
            }

            Check(Native.FileActionsInit(actions), "posix_spawn_file_actions_init");
            try
            {
                Check(Native.SpawnAttrInit(attr), "posix_spawnattr_init");
                try
                {
                    Check(Native.FileActionsAddChdir(actions, Utf8(cwd)), "addchdir");

                    // Opened after setsid, without O_NOCTTY: the slave becomes the controlling terminal.
                    Check(Native.FileActionsAddOpen(actions, 0, Utf8(slavePath), Native.ORdWr, 0), "addopen");
                    Check(Native.FileActionsAddDup2(actions, 0, 1), "adddup2");
                    Check(Native.FileActionsAddDup2(actions, 0, 2), "adddup2");
                    Check(Native.SigEmptySet(mask), "sigemptyset");
                    Check(Native.SigEmptySet(defaults), "sigemptyset");
                    for (var sig = 1; sig < 32; sig++)
                    {
                        if (sig is not (Native.SigKill or 19))
                        {
                            Check(Native.SigAddSet(defaults, sig), "sigaddset");
                        }
                    }

                    Check(Native.SpawnAttrSetSigMask(attr, mask), "setsigmask");
                    Check(Native.SpawnAttrSetSigDefault(attr, defaults), "setsigdefault");
                    Check(Native.SpawnAttrSetFlags(attr, (short)(Native.PosixSpawnSetSid | Native.PosixSpawnSetSigMask | Native.PosixSpawnSetSigDef)), "setflags");
                    int pid;
                    Check(Native.PosixSpawn(&pid, Utf8(executable), actions, attr, argvBlock, envBlock), $"posix_spawn {executable}");
                    return pid;
                }
                finally
                {
                    _ = Native.SpawnAttrDestroy(attr);
                }
            }
            finally
            {
                _ = Native.FileActionsDestroy(actions);
            }
        }
        finally
        {
            foreach (var p in allocations)
            {
                Marshal.FreeCoTaskMem(p);
            }

            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            NativeMemory.Free(mask);
            NativeMemory.Free(defaults);
            NativeMemory.Free(argvBlock);
            NativeMemory.Free(envBlock);
        }
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0)
        {
            throw new Win32Exception(rc, $"{what} failed");
        }
    }

    private static Win32Exception Errno(string what) => new(Marshal.GetLastPInvokeError(), $"{what} failed");
}
