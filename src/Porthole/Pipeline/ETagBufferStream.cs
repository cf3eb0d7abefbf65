using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Porthole.Pipeline;

/// <summary>
/// The response body seen by the stages after ETag: collects writes in memory (flushes are
/// held, so a compressor's final flush does not defeat the ETag) until the body grows past the
/// limit or the application calls <see cref="DisableBuffering"/>, the ASP.NET Core signal of a
/// streaming response (watches, followed logs); then everything is written straight through.
/// </summary>
internal sealed class ETagBufferStream(IHttpResponseBodyFeature inner, int limit) : Stream, IHttpResponseBodyFeature
{
    private readonly MemoryStream _buffer = new();
    private PipeWriter? _writer;

    public bool PassedThrough { get; private set; }

    public ReadOnlyMemory<byte> Buffered => _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length);

    Stream IHttpResponseBodyFeature.Stream => this;

    PipeWriter IHttpResponseBodyFeature.Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Pushes what the application's PipeWriter still holds into this stream.</summary>
    public async Task CompleteWriterAsync()
    {
        if (_writer is { } writer)
        {
            _writer = null;
            await writer.CompleteAsync();
        }
    }

    public Task CopyBufferedToAsync(CancellationToken ct) =>
        _buffer.Length == 0 ? Task.CompletedTask : inner.Stream.WriteAsync(Buffered, ct).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        if (!PassedThrough && _buffer.Length + source.Length > limit)
        {
            await PassThroughAsync(cancellationToken);
        }

        if (PassedThrough)
        {
            await inner.Stream.WriteAsync(source, cancellationToken);
        }
        else
        {
            _buffer.Write(source.Span);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        PassedThrough ? inner.Stream.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override void Flush() => FlushAsync().GetAwaiter().GetResult();

    public void DisableBuffering()
    {
        if (!PassedThrough)
        {
            PassThroughAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        inner.DisableBuffering();
    }

    public Task StartAsync(CancellationToken cancellationToken = default) =>
        PassedThrough ? inner.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(this, path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        await CompleteWriterAsync();
        if (PassedThrough)
        {
            await inner.CompleteAsync();
        }
    }

    private async Task PassThroughAsync(CancellationToken ct)
    {
        PassedThrough = true;
        await CopyBufferedToAsync(ct);
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
