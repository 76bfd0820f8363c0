using Xunit.Abstractions;
using Xunit.Sdk;

namespace Cairn.Storage.Tests.Postgres;

/// <summary>A test case whose skip reason also comes from the class: <see cref="PostgresCluster.MissingReason"/> for PostgreSQL ones.</summary>
public sealed class StoreTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public StoreTestCase()
    {
    }

    public StoreTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute)
    {
        var needsPostgres = TestMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any();
        return needsPostgres && PostgresCluster.MissingReason is { } missing ? missing : base.GetSkipReason(factAttribute);
    }
}
