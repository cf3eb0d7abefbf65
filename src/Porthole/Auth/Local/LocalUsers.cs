using YamlDotNet.RepresentationModel;

namespace Porthole.Auth.Local;

/// <summary>One user of PORTHOLE_USERS_FILE.</summary>
public sealed record LocalUser(string Username, string PasswordHash, IReadOnlyList<string> Groups);

/// <summary>
/// The users of auth mode local, read at start from PORTHOLE_USERS_FILE:
/// <code>users: [{username: alice, passwordHash: "pbkdf2-sha256$...", groups: [team-a]}]</code>
/// Every problem of the file is reported with the entry it concerns.
/// </summary>
public sealed class LocalUsers
{
    private readonly Dictionary<string, LocalUser> _users;

    private LocalUsers(Dictionary<string, LocalUser> users) => _users = users;

    public int Count => _users.Count;

    public LocalUser? Find(string username) => _users.GetValueOrDefault(username);

    public static LocalUsers Load(string path)
    {
        var errors = new List<string>();
        var users = new Dictionary<string, LocalUser>(StringComparer.Ordinal);
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidOperationException($"PORTHOLE_USERS_FILE '{path}': not valid YAML: {e.Message}", e);
        }

        var list = yaml.Documents.FirstOrDefault()?.RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("users"), out var node) ? node as YamlSequenceNode : null;
        if (list is null)
        {
            throw new InvalidOperationException($"PORTHOLE_USERS_FILE '{path}': expected 'users:' with a list of {{username, passwordHash, groups}}");
        }

        var index = 0;
        foreach (var item in list.Children)
        {
            index++;
            var map = item as YamlMappingNode;
            var username = Scalar(map, "username");
            var hash = Scalar(map, "passwordHash");
            var groups = map is not null && map.Children.TryGetValue(new YamlScalarNode("groups"), out var g) && g is YamlSequenceNode seq
                ? seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").Where(s => s.Length > 0).ToArray()
                : [];
            if (string.IsNullOrWhiteSpace(username))
            {
                errors.Add($"users[{index - 1}]: username is required");
            }
            else if (hash is null)
            {
                errors.Add($"users[{index - 1}] ({username}): passwordHash is required");
            }
            else if (PasswordHasher.Problem(hash) is { } problem)
            {
                errors.Add($"users[{index - 1}] ({username}): passwordHash is {problem}");
            }
            else if (Clusters.ImpersonationHeaders.Problem(username, groups) is { } unsendable)
            {
                errors.Add($"users[{index - 1}]: {unsendable}");
            }
            else if (!users.TryAdd(username, new LocalUser(username, hash, groups)))
            {
                errors.Add($"users[{index - 1}]: username '{username}' appears twice");
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"PORTHOLE_USERS_FILE '{path}': {string.Join("; ", errors)}");
        }

        return new LocalUsers(users);
    }

    private static string? Scalar(YamlMappingNode? map, string key) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
}
