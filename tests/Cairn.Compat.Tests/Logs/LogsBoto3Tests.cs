using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Logs;

/// <summary>CloudWatch Logs' error codes as boto3 sees them.</summary>
public sealed class LogsBoto3Tests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    [Fact]
    public async Task Failed_constraints_are_InvalidParameterException_with_the_validators_text()
    {
        var result = await cairn.Boto3("""
            logs = client("logs")
            print(error_code(logs.describe_log_groups, limit=51))
            print(error_code(logs.describe_log_groups, logGroupNamePrefix="bad name!"))
            print(error_code(logs.describe_log_streams, logGroupName="/aws/codebuild/app", limit=51))
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("InvalidParameterException: 1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50", lines[0]);
        Assert.StartsWith("InvalidParameterException: 1 validation error detected: Value 'bad name!' at 'logGroupNamePrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("InvalidParameterException: 1 validation error detected: Value '51' at 'limit'", lines[2], StringComparison.Ordinal);
    }
}
