using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Porthole.Auth.Sessions;

/// <summary>
/// Token mode keeps the user's Kubernetes token in their session cookie, encrypted with AES-GCM
/// under a key derived from the session secret and bound to the session id, so the browser holds
/// it (HttpOnly, never readable by scripts) and no server state is needed across restarts.
/// </summary>
internal sealed class TokenProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[][] _keys;

    public TokenProtector(SessionSecrets secrets)
        : this(secrets, "porthole token encryption")
    {
    }

    /// <param name="purpose">Separates the keys of different uses of one secret.</param>
    public TokenProtector(SessionSecrets secrets, string purpose)
    {
        var info = Encoding.UTF8.GetBytes(purpose);
        _keys = [.. secrets.All.Select(secret => HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: null, info))];
    }

    public string Protect(string token, Guid sessionId)
    {
        var plain = Encoding.UTF8.GetBytes(token);
        var sealedBox = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBox.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[0], TagSize);
        aes.Encrypt(nonce, plain, sealedBox.AsSpan(NonceSize, plain.Length), sealedBox.AsSpan(NonceSize + plain.Length), sessionId.ToByteArray());
        return Base64Url.EncodeToString(sealedBox);
    }

    /// <summary>Number of keys (current, and previous during a rotation).</summary>
    public int KeyCount => _keys.Length;

    /// <summary>The token, or null when it does not decrypt under the key that verified the cookie.</summary>
    public string? Unprotect(string protectedToken, Guid sessionId, int keyIndex)
    {
        if (keyIndex < 0 || keyIndex >= _keys.Length || !Base64Url.IsValid(protectedToken, out var length) || length < NonceSize + TagSize)
        {
            return null;
        }

        var sealedBox = Base64Url.DecodeFromChars(protectedToken);
        var plain = new byte[sealedBox.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_keys[keyIndex], TagSize);
            aes.Decrypt(sealedBox.AsSpan(0, NonceSize), sealedBox.AsSpan(NonceSize, plain.Length), sealedBox.AsSpan(NonceSize + plain.Length), plain, sessionId.ToByteArray());
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
