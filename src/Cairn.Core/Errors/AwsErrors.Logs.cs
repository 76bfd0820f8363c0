namespace Cairn.Core.Errors;

/// <summary>
/// CloudWatch Logs (Logs_20140328) error codes and texts: AWS's own text first; where it is bare, the name and what to
/// do follow it.
/// </summary>
public static partial class AwsErrors
{
    public static AwsException LogGroupNotFound(string group) =>
        new("ResourceNotFoundException",
            $"The specified log group does not exist: {group}. Create it with aws logs create-log-group; a CodeBuild project's group /aws/codebuild/<project> appears with its first build (aws logs describe-log-groups lists them).");

    /// <summary>AWS's text, then the names.</summary>
    public static AwsException LogStreamNotFound(string group, string stream) =>
        new("ResourceNotFoundException",
            $"The specified log stream does not exist: {stream} in {group}. Create it with aws logs create-log-stream; a build's stream is the uuid after the colon in its id (aws logs describe-log-streams lists them).");

    public static AwsException LogGroupAlreadyExists(string group) =>
        new("ResourceAlreadyExistsException", $"The specified log group already exists: {group}.");

    public static AwsException LogStreamAlreadyExists(string group, string stream) =>
        new("ResourceAlreadyExistsException", $"The specified log stream already exists: {stream} in {group}.");

    public static AwsException InvalidLogsParameter(string message) => new("InvalidParameterException", message);

    public static AwsException ReservedLogGroupName(string group) =>
        InvalidLogsParameter($"Invalid log group name {group}: log group names can't start with aws/ (reserved for AWS); choose another name.");

    public static AwsException InvalidRetention(int days, IEnumerable<int> allowed) =>
        InvalidLogsParameter(
            $"1 validation error detected: Value '{days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]");

    public static AwsException LogEventsOutOfOrder() =>
        InvalidLogsParameter("Log events in a single PutLogEvents request must be in chronological order.");

    public static AwsException LogEventsSpanTooLong() =>
        InvalidLogsParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");

    public static AwsException LogBatchTooLarge(long bytes) =>
        InvalidLogsParameter(
            $"Upload too large: {bytes} bytes exceeds limit of 1048576 (each message's UTF-8 bytes plus 26 per event); split the events into smaller PutLogEvents batches.");

    public static AwsException BuildLogStreamIsReadOnly(string group, string stream) =>
        InvalidLogsParameter(
            $"The log stream {stream} in {group} is a CodeBuild build's log, which only the build writes in Cairn; put events into a stream you create (aws logs create-log-stream).");

    public static AwsException DeletionProtectionNotServed() =>
        InvalidLogsParameter("Cairn does not serve log group deletion protection (deletionProtectionEnabled); leave it out or set it to false.");

    public static AwsException TooManyLogTags(int count) =>
        new("TooManyTagsException", $"A resource can have no more than 50 tags; this change would leave {count}. Remove some with aws logs untag-resource first.");

    public static AwsException InvalidLogsResourceArn(string arn) =>
        InvalidLogsParameter($"Invalid resource ARN {arn}: CloudWatch Logs tags log groups, arn:aws:logs:<region>:<account>:log-group:<name>.");
}
