using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Porthole.KubeSim.Exec;

/// <summary>
/// The master side of a pseudo-terminal as a stream. Reads and writes poll with a short timeout so
/// they notice cancellation and disposal; a hang-up (EIO once the slave is closed) reads as end of stream.
/// </summary>
internal sealed unsafe class PtyStream : Stream
{
    private const int PollMs = 100;
    private readonly SafeFileHandle _fd;
    private volatile bool _disposed;

    public PtyStream(SafeFileHandle fd) => _fd = fd;

    public override bool CanRead => !_disposed;

    public override bool CanWrite => !_disposed;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => ReadCore(buffer, CancellationToken.None);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Task.Run(() => ReadCore(buffer.Span, cancellationToken), cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => WriteCore(buffer, CancellationToken.None);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Task.Run(() => WriteCore(buffer.Span, cancellationToken), cancellationToken));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    private int ReadCore(Span<byte> buffer, CancellationToken ct)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (!TryAcquire(out var fd))
        {
            return 0;
        }

        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (_disposed)
                {
                    return 0;
                }

                var revents = PollOnce(fd, Native.PollIn);
                if (revents == 0)
                {
                    continue;
                }

                if ((revents & Native.PollNval) != 0)
                {
                    return 0;
                }

                nint n;
                fixed (byte* p = buffer)
                {
                    n = Native.Read(fd, p, (nuint)buffer.Length);
                }

                if (n >= 0)
                {
                    return (int)n;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno is Native.EIntr or Native.EAgain)
                {
                    continue;
                }

                // EIO: every slave descriptor is closed, the terminal hung up.
                return 0;
            }
        }
        finally
        {
            _fd.DangerousRelease();
        }
    }

    private void WriteCore(ReadOnlySpan<byte> data, CancellationToken ct)
    {
        if (!TryAcquire(out var fd))
        {
            throw new ObjectDisposedException(nameof(PtyStream));
        }

        try
        {
            var remaining = data;
            while (!remaining.IsEmpty)
            {
                ct.ThrowIfCancellationRequested();
                ObjectDisposedException.ThrowIf(_disposed, this);
                var revents = PollOnce(fd, Native.PollOut);
                if (revents == 0)
                {
                    continue;
                }

                if ((revents & (Native.PollErr | Native.PollHup | Native.PollNval)) != 0 && (revents & Native.PollOut) == 0)
                {
                    throw new IOException("the terminal hung up");
                }

                nint n;
                fixed (byte* p = remaining)
                {
                    n = Native.Write(fd, p, (nuint)remaining.Length);
                }

                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno is Native.EIntr or Native.EAgain)
                    {
                        continue;
                    }

                    throw new IOException($"write to terminal failed (errno {errno})");
                }

                remaining = remaining[(int)n..];
            }
        }
        finally
        {
            _fd.DangerousRelease();
        }
    }

    private static short PollOnce(int fd, short events)
    {
        var pfd = new Native.PollFd { Fd = fd, Events = events };
        var rc = Native.Poll(&pfd, 1, PollMs);
        return rc > 0 ? pfd.REvents : (short)0;
    }

    /// <summary>Keeps the descriptor from being closed (and its number reused) while a call uses it.</summary>
    private bool TryAcquire(out int fd)
    {
        fd = -1;
        var added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        fd = (int)_fd.DangerousGetHandle();
        return added;
    }
}
