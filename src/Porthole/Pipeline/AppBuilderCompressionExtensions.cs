using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace Microsoft.AspNetCore.Builder;

public static class AppBuilderCompressionExtensions
{
    /// <summary>
    /// Stage 8 services: ASP.NET Core's response compression, Brotli preferred over gzip by
    /// Accept-Encoding. The providers take a <see cref="CompressionLevel"/>: Brotli's
    /// <c>Optimal</c> is quality 4 since .NET 7 and gzip's <c>Fastest</c> is zlib level 1.
    /// Enabled over HTTPS too: Porthole never reflects a secret into a response body.
    /// </summary>
    public static IServiceCollection AddPortholeCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(compression =>
        {
            compression.EnableForHttps = true;
            compression.Providers.Add<BrotliCompressionProvider>();
            compression.Providers.Add<GzipCompressionProvider>();
            compression.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "application/problem+json", "application/yaml", "image/svg+xml"];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return services;
    }

    /// <summary>Stage 8: compress responses by Accept-Encoding.</summary>
    public static IApplicationBuilder UsePortholeCompression(this IApplicationBuilder app) => app.UseResponseCompression();
}
