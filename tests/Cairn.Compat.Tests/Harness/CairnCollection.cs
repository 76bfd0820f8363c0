namespace Cairn.Compat.Tests.Harness;

/// <summary>Tests in this collection share one <see cref="CairnFixture"/> server and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class CairnCollection : ICollectionFixture<CairnFixture>
{
    public const string Name = "cairn";
}
