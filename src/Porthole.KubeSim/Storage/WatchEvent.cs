namespace Porthole.KubeSim.Storage;

/// <summary>A committed change. <see cref="Previous"/> lets selector-filtered watches turn a
/// MODIFIED that moves an object in or out of the selection into ADDED or DELETED.</summary>
public sealed record WatchEvent(string Type, string StorageKey, StoredObject Object, StoredObject? Previous)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";

    public long ResourceVersion => Object.ResourceVersion;
}
