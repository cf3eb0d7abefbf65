namespace Porthole.Pipeline;

/// <summary>The nonce of this response's Content-Security-Policy, for the SPA's inline tags.</summary>
public interface ICspNonceFeature
{
    string Nonce { get; }
}

internal sealed record CspNonceFeature(string Nonce) : ICspNonceFeature;
