using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Auth;
using Porthole.KubeSim.Controllers;
using Porthole.KubeSim.Security;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Hosting;

public sealed partial class SimServer
{
    private static Server.KubeSimContext Compose(KubeSimOptions options, ILogger logger)
    {
        var registry = new ResourceRegistry();
        var store = new ObjectStore(options.Time, options.HistoryWindow);
        var users = SimUsers.Names.Select(name =>
            (options.Tokens?.GetValueOrDefault(name) ?? TokenAuthenticator.NewToken(name), SimUsers.User(name)));
        var authorizer = new RbacAuthorizer(store, registry);
        return new Server.KubeSimContext
        {
            Options = options,
            Store = store,
            Registry = registry,
            Authenticator = new TokenAuthenticator(users),
            Controllers = new ControllerHost(store, registry, options.Time, logger),
            Authorizer = authorizer,
            Reviews = new AccessReviews(authorizer, options.Time),
        };
    }
}
