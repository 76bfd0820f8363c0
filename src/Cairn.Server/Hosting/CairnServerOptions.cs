using Cairn.Storage.Parameters;

namespace Cairn.Server.Hosting;

/// <summary>Everything `cairn serve` can be told; every default lives here.</summary>
public sealed record CairnServerOptions
{
    public const string DefaultAccountId = "000000000000";
    public const string DefaultRegionName = "us-east-1";

    public string DataDirectory { get; init; } = ".cairn";

    /// <summary>The database in the data directory: the server's, and where `cairn build` stores its builds too.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "cairn.db");

    /// <summary>
    /// An Npgsql connection string: every store in that PostgreSQL database instead of the data directory's SQLite file
    /// (a build page's artifacts, the master key and root credentials stay in the data directory). Null: SQLite.
    /// </summary>
    public string? Database { get; init; }

    /// <summary>127.0.0.1 unless told otherwise: the server holds secrets.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; } = 4566;

    public string AccountId { get; init; } = DefaultAccountId;

    /// <summary>Region used where a request carries none (e.g. `cairn build` talking in-process).</summary>
    public string DefaultRegion { get; init; } = DefaultRegionName;

    public string? RootAccessKeyId { get; init; }

    public string? RootSecretAccessKey { get; init; }

    /// <summary>Base64 of 32 bytes; when null the master key is read from (or created in) &lt;data&gt;/master.key.</summary>
    public string? MasterKey { get; init; }

    /// <summary>
    /// Memory for parameter heads read by GetParameter(s) (an estimate in bytes; 0 turns the cache off). Each is checked
    /// against the store's generation on every read, so a write by any process is seen at once.
    /// </summary>
    public long ParameterCacheBytes { get; init; } = DefaultParameterCacheBytes;

    public const long DefaultParameterCacheBytes = ParameterHeadCache.DefaultBudgetBytes;

    /// <summary>How long audit entries are kept (CloudTrail's event history keeps 90 days); zero keeps them forever.</summary>
    public TimeSpan AuditRetention { get; init; } = TimeSpan.FromDays(DefaultAuditRetentionDays);

    public const int DefaultAuditRetentionDays = 90;

    /// <summary>
    /// How long the artifacts of an ended pipeline execution are kept; zero (the default) keeps them forever, as an S3
    /// bucket without lifecycle rules does. Each stage's latest and latest successful execution keep theirs whatever their age.
    /// </summary>
    public TimeSpan PipelineArtifactRetention { get; init; } = TimeSpan.FromDays(DefaultPipelineArtifactRetentionDays);

    public const int DefaultPipelineArtifactRetentionDays = 0;

    /// <summary>One log line per API request (who, which operation, status, error code, time taken); off by default.</summary>
    public bool AccessLog { get; init; }

    /// <summary>Largest request body accepted.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Slowest request body accepted, in bytes a second after <see cref="RequestBodyGracePeriod"/> (Kestrel's default
    /// rate); slower is answered 408 RequestTimeout, so a trickling client cannot hold a request open. Null turns it off.
    /// </summary>
    public double? RequestBodyMinimumRate { get; init; } = 240;

    public TimeSpan RequestBodyGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest a whole request body may take to arrive, whatever its rate.</summary>
    public TimeSpan RequestBodyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Reads CAIRN_* variables for whatever the command line left unset.</summary>
    public CairnServerOptions WithEnvironment(Func<string, string?> getVariable) => this with
    {
        RootAccessKeyId = RootAccessKeyId ?? Blank(getVariable("CAIRN_ROOT_ACCESS_KEY_ID")),
        RootSecretAccessKey = RootSecretAccessKey ?? Blank(getVariable("CAIRN_ROOT_SECRET_ACCESS_KEY")),
        MasterKey = MasterKey ?? Blank(getVariable("CAIRN_MASTER_KEY")),
        Database = Database ?? Blank(getVariable("CAIRN_DATABASE")),
    };

    public void Validate()
    {
        if (AccountId.Length != 12 || !AccountId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"Account id '{AccountId}' must be 12 digits, like 000000000000.");
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"Port {Port} is outside 0-65535.");
        }

        if (AuditRetention < TimeSpan.Zero)
        {
            throw new ArgumentException("--audit-retention-days cannot be negative (0 keeps the audit log forever).");
        }

        if (PipelineArtifactRetention < TimeSpan.Zero)
        {
            throw new ArgumentException("--pipeline-artifact-retention-days cannot be negative (0 keeps pipeline artifacts forever).");
        }

        if (RequestBodyGracePeriod <= TimeSpan.FromSeconds(1) || RequestBodyTimeout <= TimeSpan.Zero || RequestBodyMinimumRate <= 0)
        {
            throw new ArgumentException("The request body grace period must be over 1 second, the body timeout and minimum rate positive.");
        }

        if (ParameterCacheBytes < 0)
        {
            throw new ArgumentException("--parameter-cache-mb cannot be negative (0 turns the cache off).");
        }

        if ((RootAccessKeyId is null) != (RootSecretAccessKey is null))
        {
            throw new ArgumentException("Set both CAIRN_ROOT_ACCESS_KEY_ID and CAIRN_ROOT_SECRET_ACCESS_KEY, or neither.");
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
