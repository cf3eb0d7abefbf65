using System.Runtime.InteropServices;

namespace Porthole.KubeSim.Exec;

/// <summary>glibc (Linux x64) entry points used to run commands on pseudo-terminals.</summary>
internal static unsafe partial class Native
{
    private const string Libc = "libc.so.6";

    public const int ORdWr = 0x2;
    public const int ONoCtty = 0x100;
    public const int OCloExec = 0x80000;

    public const short PosixSpawnSetSigDef = 0x04;
    public const short PosixSpawnSetSigMask = 0x08;
    public const short PosixSpawnSetSid = 0x80;

    public const nuint TiocSWinSz = 0x5414;
    public const nuint TiocGWinSz = 0x5413;

    public const short PollIn = 0x1;
    public const short PollOut = 0x4;
    public const short PollErr = 0x8;
    public const short PollHup = 0x10;
    public const short PollNval = 0x20;

    public const int EIntr = 4;
    public const int EIo = 5;
    public const int EAgain = 11;
    public const int EChild = 10;

    public const int WNoHang = 1;
    public const int SigHup = 1;
    public const int SigKill = 9;

    /// <summary>Opaque glibc structures, allocated larger than their real size (80, 336 and 128 bytes).</summary>
    public const int FileActionsSize = 256;
    public const int SpawnAttrSize = 512;
    public const int SigSetSize = 256;

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Cols;
        public ushort XPixel;
        public ushort YPixel;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [LibraryImport(Libc, EntryPoint = "posix_openpt", SetLastError = true)]
    public static partial int PosixOpenPt(int flags);

    [LibraryImport(Libc, EntryPoint = "grantpt", SetLastError = true)]
    public static partial int GrantPt(int fd);

    [LibraryImport(Libc, EntryPoint = "unlockpt", SetLastError = true)]
    public static partial int UnlockPt(int fd);

    [LibraryImport(Libc, EntryPoint = "ptsname_r")]
    public static partial int PtsNameR(int fd, byte* buffer, nuint length);

    [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlWinSize(int fd, nuint request, ref WinSize size);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Libc, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport(Libc, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(Libc, EntryPoint = "posix_spawn")]
    public static partial int PosixSpawn(int* pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int FileActionsInit(void* actions);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int FileActionsDestroy(void* actions);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_addopen")]
    public static partial int FileActionsAddOpen(void* actions, int fd, byte* path, int flags, uint mode);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int FileActionsAddDup2(void* actions, int fd, int newFd);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    public static partial int FileActionsAddChdir(void* actions, byte* path);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_init")]
    public static partial int SpawnAttrInit(void* attr);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_destroy")]
    public static partial int SpawnAttrDestroy(void* attr);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setflags")]
    public static partial int SpawnAttrSetFlags(void* attr, short flags);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int SpawnAttrSetSigMask(void* attr, void* sigset);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int SpawnAttrSetSigDefault(void* attr, void* sigset);

    [LibraryImport(Libc, EntryPoint = "sigemptyset")]
    public static partial int SigEmptySet(void* sigset);

    [LibraryImport(Libc, EntryPoint = "sigaddset")]
    public static partial int SigAddSet(void* sigset, int signal);
}
