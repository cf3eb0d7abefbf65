namespace Porthole.Pipeline;

/// <summary>
/// The response body seen by the stages after ETag: collects writes in memory until the
/// application flushes or exceeds the limit, then switches to writing straight through.
/// </summary>
internal sealed class ETagBufferStream(Stream inner, int limit) : Stream
{
    private readonly MemoryStream _buffer = new();

    public bool PassedThrough { get; private set; }

    public ReadOnlyMemory<byte> Buffered => _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public Task CopyBufferedToAsync(Stream destination, CancellationToken ct) =>
        _buffer.Length == 0 ? Task.CompletedTask : destination.WriteAsync(Buffered, ct).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        if (!PassedThrough && _buffer.Length + source.Length > limit)
        {
            await PassThroughAsync(cancellationToken);
        }

        if (PassedThrough)
        {
            await inner.WriteAsync(source, cancellationToken);
        }
        else
        {
            _buffer.Write(source.Span);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>An explicit flush means the application streams: stop buffering.</summary>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!PassedThrough)
        {
            await PassThroughAsync(cancellationToken);
        }

        await inner.FlushAsync(cancellationToken);
    }

    public override void Flush() => FlushAsync().GetAwaiter().GetResult();

    private async Task PassThroughAsync(CancellationToken ct)
    {
        PassedThrough = true;
        await CopyBufferedToAsync(inner, ct);
        _buffer.SetLength(0);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buffer.Dispose();
        }

        base.Dispose(disposing);
    }
}
