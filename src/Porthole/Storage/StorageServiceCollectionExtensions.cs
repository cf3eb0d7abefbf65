using Porthole.Hosting;
using Porthole.Storage;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Registration of the store, its audit queue and its maintenance.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Opens the store at start (SQLite in the data dir, or PostgreSQL from PORTHOLE_DATABASE_URL;
    /// one that cannot be opened stops the process), prunes it hourly and probes it while it is down.
    /// </summary>
    public static WebApplicationBuilder AddPortholeStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<PortholeOptions>();
            return PortholeStore.Open(options.DataDir, options.DatabaseUrl, sp.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddSingleton(sp => sp.GetRequiredService<PortholeStore>().Health);
        builder.Services.AddHostedService<StoreMaintenance>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditLog>());
        return builder;
    }
}
