using Xunit.Sdk;

namespace Cairn.Storage.Tests.Postgres;

/// <summary>
/// A contract test ([Fact] for the storage contract suites): run by every backend's subclass, and reported skipped, with the
/// reason, in a subclass marked <see cref="RequiresPostgresAttribute"/> when PostgreSQL's binaries are missing.
/// </summary>
[XunitTestCaseDiscoverer("Cairn.Storage.Tests.Postgres.StoreFactDiscoverer", "Cairn.Storage.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;
