using System.Buffers;
using System.Text;

namespace Porthole.Clusters;

/// <summary>
/// A header value encoding (for <see cref="SocketsHttpHandler.RequestHeaderEncodingSelector"/>)
/// that writes one value as several lines of the same header: UTF-8, except that each
/// <see cref="Separator"/> is written as CRLF followed by <c>{name}: </c>. With name
/// Impersonate-Group, the value <c>"a, b\uFFFFc"</c> goes out as
/// <c>Impersonate-Group: a, b\r\nImpersonate-Group: c\r\n</c>.
/// <para>
/// Why: SocketsHttpHandler writes the values of one header as a single line joined by ", "
/// (HTTP/1.1 and HTTP/2 alike) and the Kubernetes API server does not split it: a header
/// <c>Impersonate-Group: a, b</c> is one group named "a, b" (kubernetes/kubernetes#94683), so a
/// user with two groups would lose both. The caller guarantees that the values hold no control
/// character and no other <see cref="Separator"/> (<see cref="ImpersonationHeaders.Problem"/>), so
/// the header block stays well formed; such requests go as HTTP/1.1, since HTTP/2 refuses a CRLF
/// inside a field value (which would fail the request, never widen it).
/// </para>
/// Encoding only: nothing decodes with it.
/// </summary>
internal sealed class RepeatedHeaderEncoding : Encoding
{
    /// <summary>U+FFFF, a Unicode noncharacter: never part of a name that is sent.</summary>
    public const char Separator = '\uFFFF';

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _nextLine;

    public RepeatedHeaderEncoding(string name) => _nextLine = ASCII.GetBytes($"\r\n{name}: ");

    public override int GetByteCount(ReadOnlySpan<char> chars)
    {
        var count = 0;
        while (chars.IndexOf(Separator) is var at and >= 0)
        {
            count += Utf8.GetByteCount(chars[..at]) + _nextLine.Length;
            chars = chars[(at + 1)..];
        }

        return count + Utf8.GetByteCount(chars);
    }

    public override int GetBytes(ReadOnlySpan<char> chars, Span<byte> bytes)
    {
        var written = 0;
        while (true)
        {
            var at = chars.IndexOf(Separator);
            var part = at < 0 ? chars : chars[..at];
            switch (System.Text.Unicode.Utf8.FromUtf16(part, bytes[written..], out _, out var count, replaceInvalidSequences: false))
            {
                case OperationStatus.InvalidData:
                    throw new EncoderFallbackException("a lone surrogate has no UTF-8");
                case OperationStatus.DestinationTooSmall:
                    throw new ArgumentException("the destination is too small", nameof(bytes));
            }

            written += count;
            if (at < 0)
            {
                return written;
            }

            _nextLine.CopyTo(bytes[written..]);
            written += _nextLine.Length;
            chars = chars[(at + 1)..];
        }
    }

    public override int GetByteCount(char[] chars, int index, int count) => GetByteCount(chars.AsSpan(index, count));

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) =>
        GetBytes(chars.AsSpan(charIndex, charCount), bytes.AsSpan(byteIndex));

    /// <summary>At most one line break per character (each at least as long as a character's 3 UTF-8 bytes), plus UTF-8's one spare.</summary>
    public override int GetMaxByteCount(int charCount) => checked((charCount + 1) * _nextLine.Length);

    public override int GetCharCount(byte[] bytes, int index, int count) => throw new NotSupportedException("encoding only");

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex) => throw new NotSupportedException("encoding only");

    public override int GetMaxCharCount(int byteCount) => throw new NotSupportedException("encoding only");
}
