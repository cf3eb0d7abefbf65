using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Porthole.Auth.Sessions;

/// <summary>
/// Signed values: base64url(payload) + "." + base64url(HMAC-SHA256(payload)). Keys are derived
/// per purpose (HKDF) from every session secret, so a value signed for one purpose never
/// verifies for another. Only the current key signs; current and previous verify, in constant
/// time, and only canonical base64url is accepted (no bit of the value is ignored).
/// </summary>
public sealed class CookieSigner
{
    private const int MacSize = 32;
    private readonly byte[][] _keys;

    public CookieSigner(SessionSecrets secrets, string purpose)
    {
        var info = Encoding.UTF8.GetBytes("porthole " + purpose);
        _keys = [.. secrets.All.Select(secret => HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, MacSize, salt: null, info))];
    }

    public string Sign(ReadOnlySpan<byte> payload) =>
        Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_keys[0], payload));

    /// <summary>
    /// The payload of a value this signer (with the current or the previous secret) produced;
    /// <paramref name="keyIndex"/> is 0 for the current secret, 1 for the previous.
    /// </summary>
    public bool TryVerify(string value, out byte[] payload, out int keyIndex)
    {
        payload = [];
        keyIndex = -1;
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot != value.LastIndexOf('.') || !TryDecodeCanonical(value.AsSpan(0, dot), out var data)
            || !TryDecodeCanonical(value.AsSpan(dot + 1), out var mac) || mac.Length != MacSize)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacSize];
        for (var i = 0; i < _keys.Length; i++)
        {
            HMACSHA256.HashData(_keys[i], data, expected);
            if (CryptographicOperations.FixedTimeEquals(expected, mac) && keyIndex < 0)
            {
                keyIndex = i;
            }
        }

        if (keyIndex < 0)
        {
            return false;
        }

        payload = data;
        return true;
    }

    private static bool TryDecodeCanonical(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.IsEmpty || text.Length > 16 * 1024 || !Base64Url.IsValid(text, out var length))
        {
            return false;
        }

        var buffer = new byte[length];
        if (Base64Url.DecodeFromChars(text, buffer) != length || !text.SequenceEqual(Base64Url.EncodeToString(buffer)))
        {
            return false;
        }

        bytes = buffer;
        return true;
    }
}
