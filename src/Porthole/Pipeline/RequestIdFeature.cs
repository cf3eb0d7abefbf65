namespace Porthole.Pipeline;

/// <summary>The id of the current request, set by the RequestID stage for logs and errors.</summary>
public interface IRequestIdFeature
{
    string RequestId { get; }
}

internal sealed record RequestIdFeature(string RequestId) : IRequestIdFeature;
