using System.Text;
using Microsoft.Extensions.FileProviders;

namespace Porthole.Web;

/// <summary>
/// The built web app (web/dist): by default embedded in the porthole assembly under
/// <c>wwwroot/</c>, so the single binary serves its own UI. index.html is read once and kept
/// as a template split at the <c>%CSP_NONCE%</c> placeholders; every response fills in its
/// own nonce.
/// </summary>
public sealed class WebAssets(IFileProvider files)
{
    public const string NoncePlaceholder = "%CSP_NONCE%";

    private readonly Lazy<string[]?> _indexParts = new(() => ReadIndex(files));

    public IFileProvider Files { get; } = files;

    /// <summary>The UI embedded at build time (a placeholder page when the build skipped the web app).</summary>
    public static WebAssets Embedded() => new(new ManifestEmbeddedFileProvider(typeof(WebAssets).Assembly, "wwwroot"));

    /// <summary>index.html with <paramref name="nonce"/> in place of every placeholder; null without an index.html.</summary>
    public string? RenderIndex(string nonce) => _indexParts.Value is { } parts ? string.Join(nonce, parts) : null;

    private static string[]? ReadIndex(IFileProvider files)
    {
        var index = files.GetFileInfo("index.html");
        if (!index.Exists || index.IsDirectory)
        {
            return null;
        }

        using var reader = new StreamReader(index.CreateReadStream(), Encoding.UTF8);
        return reader.ReadToEnd().Split(NoncePlaceholder);
    }
}
