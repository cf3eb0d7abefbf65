namespace Porthole.Storage;

/// <summary>
/// The store (SQLite file or PostgreSQL) cannot be reached or written now. Requests that need it
/// answer 503 <c>store_unavailable</c> (RecoveryMiddleware); nothing was changed by the failed call.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
