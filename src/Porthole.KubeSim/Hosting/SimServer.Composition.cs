using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Auth;
using Porthole.KubeSim.Controllers;
using Porthole.KubeSim.Discovery;
using Porthole.KubeSim.Exec;
using Porthole.KubeSim.Logs;
using Porthole.KubeSim.Metrics;
using Porthole.KubeSim.OpenApi;
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
        var openApi = new OpenApiDocuments(registry);
        var serviceAccountTokens = new ServiceAccountTokens(store, registry, options.Time);
        return new Server.KubeSimContext
        {
            Options = options,
            Store = store,
            Registry = registry,
            Authenticator = new TokenAuthenticator(users, serviceAccountTokens),
            ServiceAccountTokens = serviceAccountTokens,
            TokenRequests = new TokenRequests(serviceAccountTokens, store, registry, options.Time),
            Controllers = new ControllerHost(store, registry, options.Time, logger),
            Faults = new Faults.SimFaults(store, options.Time),
            Authorizer = authorizer,
            Reviews = new AccessReviews(authorizer, options.Time),
            Discovery = new DiscoveryDocuments(registry),
            OpenApi = openApi,
            Validator = new SchemaValidator(openApi),
            Metrics = new MetricsApi(store, registry, options.Time),
            Runtime = new ContainerRuntime(Path.Combine(options.DataDir, "containers")),
            Quotas = new Controllers.Quota.ResourceQuotas(store, registry),
            Logs = new LogGenerator(TimeSpan.FromSeconds(1 / Math.Max(0.001, options.LogLinesPerSecond))),
        };
    }
}
