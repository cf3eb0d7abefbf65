namespace Porthole.Tests.Storage.Postgres;

/// <summary>The store contract on a real PostgreSQL (one database per test).</summary>
public sealed class PostgresStoreTests(PostgresServer server) : StoreContractTests, IClassFixture<PostgresServer>
{
    private string? _url;

    protected override string? DatabaseUrl => _url;

    public override async Task InitializeAsync() => _url = await server.CreateDatabaseAsync();

    [Fact]
    public void Open_Url_DescriptionNamesHostAndDatabaseButNoCredential()
    {
        var store = Open();

        Assert.Equal("postgresql", store.Provider);
        Assert.Matches(@"^127\.0\.0\.1:\d+/t\d+_[0-9a-f]{8}$", store.Description);
        Assert.DoesNotContain(server.Password, store.Description, StringComparison.Ordinal);
        Assert.True(store.Shared);
    }
}
