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

    public (LocalLoginResult Result, LocalUser? User, TimeSpan? RetryAfter) SignIn(string username, string password, string clientIp)
    {
        if (throttle.RetryAfter(username, clientIp) is { } wait)
        {
            return (LocalLoginResult.Throttled, null, wait);
        }

        var user = users.Find(username);
        var ok = PasswordHasher.Verify(password, user?.PasswordHash ?? DummyHash) && user is not null;
        if (!ok)
        {
            throttle.Failed(username, clientIp);
            return (LocalLoginResult.Invalid, null, null);
        }

        throttle.Succeeded(username, clientIp);
        return (LocalLoginResult.Success, user, null);
    }
}
