using Porthole.Hosting;
using Porthole.Storage;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Registration of the store and its maintenance.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>Opens the store at start (a bad data dir stops the process) and prunes it hourly.</summary>
    public static WebApplicationBuilder AddPortholeStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => PortholeStore.Open(sp.GetRequiredService<PortholeOptions>().DataDir));
        builder.Services.AddHostedService<StoreMaintenance>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditLog>());
        return builder;
    }
}
