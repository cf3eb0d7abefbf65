using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Porthole.Auth.Local;

/// <summary>
/// Password hashes of the users file: <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (salt and hash
/// base64), PBKDF2-HMAC-SHA256 with 600,000 iterations (OWASP's 2023 figure) and a 16-byte
/// random salt. Verification is constant-time.
/// </summary>
public static class PasswordHasher
{
    public const int DefaultIterations = 600_000;
    public const int MinimumIterations = 100_000;
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltSize = 16;
    private const int HashSize = 32;

    public static string Hash(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashSize);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Null when <paramref name="encoded"/> is a well-formed hash, else what is wrong with it.</summary>
    public static string? Problem(string encoded) => TryParse(encoded, out _, out _, out _) ? null
        : $"not a '{Scheme}$ITERATIONS$SALT$HASH' hash with at least {MinimumIterations} iterations (make one with `porthole hash-password`)";

    public static bool Verify(string password, string encoded)
    {
        if (!TryParse(encoded, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryParse(string encoded, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = encoded.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < MinimumIterations)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= 8 && hash.Length >= 16;
    }
}
