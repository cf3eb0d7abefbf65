namespace Porthole.Auth.Local;

/// <summary>The outcome of a local sign-in.</summary>
public enum LocalLoginResult
{
    Success,
    Invalid,
    Throttled,
}

/// <summary>
/// Auth mode local: checks a username and password against the users file. The password is
/// always run through PBKDF2, against a dummy hash when the user does not exist, so the answer
/// takes the same time either way and never says which part was wrong.
/// </summary>
public sealed class LocalAuthenticator(LocalUsers users, LoginThrottle throttle)
{
    private static readonly string DummyHash = PasswordHasher.Hash(Guid.NewGuid().ToString());

    public async Task<(LocalLoginResult Result, LocalUser? User, TimeSpan? RetryAfter)> SignInAsync(string username, string password, string clientIp, CancellationToken ct)
    {
        if (await throttle.RetryAfterAsync(username, clientIp, ct) is { } wait)
        {
            return (LocalLoginResult.Throttled, null, wait);
        }

        var user = users.Find(username);
        var ok = PasswordHasher.Verify(password, user?.PasswordHash ?? DummyHash) && user is not null;
        if (!ok)
        {
            await throttle.FailedAsync(username, clientIp, ct);
            return (LocalLoginResult.Invalid, null, null);
        }

        await throttle.SucceededAsync(username, clientIp, ct);
        return (LocalLoginResult.Success, user, null);
    }
}
