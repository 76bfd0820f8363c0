using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Cairn.Core.Audit;
using Cairn.Server.Hosting;
using Cairn.Storage.Builds;
using Cairn.Storage.Changes;
using Cairn.Storage.Identity;
using Cairn.Storage.Keys;
using Cairn.Storage.Parameters;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Conventions;

/// <summary>
/// The storage backend is chosen in one place (CairnModules) and the server's services see only the store interfaces,
/// so a second backend (PostgreSQL, `cairn serve --database`) is one registration, not an edit in every module.
/// </summary>
public sealed class StorageSeamConventionTests : IDisposable
{
    private const string SqliteAssembly = "Cairn.Storage.Sqlite";
    private const string PostgresAssembly = "Cairn.Storage.Postgres";

    private readonly string _data = Directory.CreateTempSubdirectory("cairn-seam-").FullName;

    [Theory]
    [InlineData(SqliteAssembly, new[] { "Cairn.Storage.Sqlite.SqliteStorage", "Cairn.Storage.Sqlite.SqliteStorageOptions" })]
    [InlineData(PostgresAssembly, new[] { "Cairn.Storage.Postgres.PostgresDatabase", "Cairn.Storage.Postgres.PostgresStorage" })]
    public void The_server_uses_nothing_of_a_backend_but_its_registration(string backend, string[] allowed)
    {
        using var stream = File.OpenRead(typeof(CairnServer).Assembly.Location);
        using var image = new PEReader(stream);
        var metadata = image.GetMetadataReader();

        var referenced =
            from handle in metadata.TypeReferences
            let type = metadata.GetTypeReference(handle)
            where type.ResolutionScope.Kind == HandleKind.AssemblyReference
                && metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name) == backend
            select $"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}";

        Assert.Equal(allowed, referenced.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_server_registration_provides_every_store_and_the_change_feeds_of_the_cached_stores()
    {
        var services = new ServiceCollection();
        var options = new CairnServerOptions { DataDirectory = _data };
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        CairnModules.AddAll(services, options, database: null);
        await using var provider = services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<IIdentityStore>(), provider.GetRequiredService<IChangeFeed<IIdentityStore>>());
        Assert.Same(provider.GetRequiredService<IKeyStore>(), provider.GetRequiredService<IChangeFeed<IKeyStore>>());
        Assert.Same(provider.GetRequiredService<IParameterRepository>(), provider.GetRequiredService<IChangeFeed<IParameterRepository>>());
        Assert.NotNull(provider.GetRequiredService<IBuildStore>());
        Assert.NotNull(provider.GetRequiredService<IAuditLog>());
        Assert.True(File.Exists(Path.Combine(_data, "cairn.db")));
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
