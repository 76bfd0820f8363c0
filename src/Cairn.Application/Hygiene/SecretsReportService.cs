using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cairn.Application.Parameters;
using Cairn.Core.Audit;
using Cairn.Core.Errors;
using Cairn.Core.Buildspec;
using Cairn.Core.Builds;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;
using Cairn.Core.Parameters.Hygiene;
using Cairn.Core.Parameters.Naming;
using Cairn.Storage.Builds;
using Cairn.Storage.Parameters;
using Cairn.Storage.Pipelines;
using Cairn.Runner.Builds;

namespace Cairn.Application.Hygiene;

/// <summary>
/// `cairn secrets report`: findings over the caller's account and region, authorized as <c>ssm:DescribeParameters</c>
/// on every parameter and <c>cloudtrail:LookupEvents</c> (the audit trail), never as ssm:GetParameter: values are read
/// here on the server only to classify them and to compare them by a keyed HMAC (a key made per process, never stored),
/// and no value ever leaves this class. A SecureString is decrypted for the comparison only when the caller may
/// kms:Decrypt it as GetParameter WithDecryption would let it (<see cref="ParameterCrypto"/>: the key policy, then IAM,
/// with SSM's encryption context); the others are reported as not compared, never silently left out.
/// </summary>
public sealed class SecretsReportService(
    IParameterRepository parameters,
    ParameterCrypto crypto,
    IAuditLog audit,
    IBuildStore builds,
    IPipelineStore pipelines,
    NamingRuleService naming,
    IAuthorizer authorizer,
    TimeProvider time)
{
    private const int ListBatch = 500;
    private readonly byte[] _hmacKey = RandomNumberGenerator.GetBytes(32);

    public async Task<SecretsReport> ReportAsync(RequestContext context, SecretsReportOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var scope = new ParameterScope(context.AccountId, context.Region);
        await authorizer.AuthorizeAsync(context, "ssm:DescribeParameters", scope.AllParametersArn, cancellationToken);
        await authorizer.AuthorizeAsync(context, Audit.AuditService.LookupAction, "*", cancellationToken);
        var now = time.GetUtcNow();

        var all = await ListAllAsync(scope, cancellationToken);
        var findings = new List<HygieneFinding>();
        var rules = await naming.RulesAsync(context.AccountId, cancellationToken);
        var compiled = rules.ToDictionary(r => r.PathPrefix, r => NamingPattern.Parse(r.Pattern), StringComparer.Ordinal);
        var lastReads = await LastReadsAsync(context, cancellationToken);
        var hashes = new Dictionary<string, List<ParameterSnapshot>>(StringComparer.Ordinal);
        var notCompared = new Dictionary<string, (AccessDenial Denial, List<string> Names)>(StringComparer.Ordinal);
        var projects = await builds.ListProjectsAsync(new BuildScope(context.AccountId, context.Region), cancellationToken);
        var referenced = ProjectReferences(projects);
        var declarations = await PipelineDeclarationsAsync(new Core.Pipelines.PipelineScope(context.AccountId, context.Region), cancellationToken);
        var declared = DeclaredStrings(declarations);

        foreach (var parameter in all)
        {
            var version = parameter.Version;
            if (parameter.ExpiresAt is { } expires)
            {
                ExpirationFinding(findings, parameter, expires, now, options);
                if (expires <= now)
                {
                    continue;
                }
            }

            var secure = version.Type == ParameterTypes.SecureString;
            string? plaintext = secure ? await DecryptAsCallerAsync(context, scope, parameter, notCompared, cancellationToken) : version.Value;
            var look = secure || plaintext is null ? null : SecretLooks.Inspect(parameter.Name, plaintext);
            if (look is not null)
            {
                findings.Add(PlaintextFinding(parameter, look));
            }

            if (NamingRule.For(rules, parameter.Key) is { } rule && !compiled[rule.PathPrefix].IsMatch(rule.SubjectOf(parameter.Key)))
            {
                findings.Add(NamingFinding(parameter, rule, compiled[rule.PathPrefix]));
            }

            var arn = scope.ArnFor(parameter.Key);
            if (!referenced.Contains(parameter.Key) && !lastReads.ContainsKey(arn)
                && !declared.Contains(parameter.Key) && !declared.Contains("/" + parameter.Key))
            {
                findings.Add(new HygieneFinding(HygieneRules.UnreferencedParameter, "note", parameter.Name,
                    $"{parameter.Name} is referenced by no project, buildspec or pipeline Cairn can see, and the audit trail shows no read of it.",
                    $"checked {projects.Count} project(s) (inline buildspecs' env and resolve references, PARAMETER_STORE variables), {declarations.Count} pipeline declaration(s), the audit trail's allowed reads",
                    [$"aws ssm delete-parameter --name {Quote(parameter.Name)}   # if nothing needs it: buildspec files in repositories are seen only when a build reads them"]));
            }

            if (secure)
            {
                UnusedFinding(findings, parameter, lastReads.GetValueOrDefault(arn), now, options);
            }

            if ((secure || look is not null) && now - version.LastModifiedDate > TimeSpan.FromDays(options.MaxAgeDays))
            {
                findings.Add(new HygieneFinding(HygieneRules.StaleSecret, "warning", parameter.Name,
                    $"{parameter.Name} has not changed for {(int)(now - version.LastModifiedDate).TotalDays} days (maximum age {options.MaxAgeDays}).",
                    $"last modified {version.LastModifiedDate:yyyy-MM-dd} by {version.LastModifiedUser}",
                    [$"aws ssm put-parameter --name {Quote(parameter.Name)} --type {version.Type} --overwrite --value \"<the new value, after rotating it where it is used>\""]));
            }

            if ((secure || look is not null) && plaintext is { Length: > 0 })
            {
                var hash = Convert.ToHexString(HMACSHA256.HashData(_hmacKey, Encoding.UTF8.GetBytes(plaintext)));
                if (!hashes.TryGetValue(hash, out var same))
                {
                    hashes[hash] = same = [];
                }

                same.Add(parameter);
            }
        }

        foreach (var same in hashes.Values.Where(s => s.Count > 1))
        {
            var names = same.Select(p => p.Name).ToList();
            findings.Add(new HygieneFinding(HygieneRules.DuplicateSecret, "warning", names[0],
                $"The same secret value is stored under {names.Count} names: {string.Join(", ", names)}.",
                "values compared on the server by a keyed HMAC-SHA256 (key made per server process, never stored); no value was read out",
                [.. names.Skip(1).Select(n => $"aws ssm delete-parameter --name {Quote(n)}   # after pointing its readers at {names[0]}")],
                "Keep one name per secret, so rotating it changes every reader."));
        }

        foreach (var (keyArn, (denial, names)) in notCompared)
        {
            findings.Add(NotComparedFinding(keyArn, denial, names));
        }

        foreach (var project in projects)
        {
            BuildspecFindings(findings, project);
        }

        var ordered = findings
            .OrderBy(f => f.Severity switch { "error" => 0, "warning" => 1, _ => 2 })
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Subject, StringComparer.Ordinal)
            .ToList();
        return new SecretsReport(now, context.AccountId, context.Region, all.Count, projects.Count, ordered);
    }

    /// <summary>The parameter keys (names without the leading slash) the projects name: inline buildspecs and PARAMETER_STORE variables.</summary>
    private static HashSet<string> ProjectReferences(IReadOnlyList<BuildProject> projects)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var project in projects)
        {
            foreach (var variable in project.Settings.Environment.Variables.Where(v => v.Type == EnvironmentVariable.ParameterStore))
            {
                keys.Add(variable.Value.TrimStart('/'));
            }

            var text = project.Settings.Source.Buildspec;
            if (string.IsNullOrWhiteSpace(text) || !text.Contains('\n', StringComparison.Ordinal) || BuildspecParser.Parse(text).Document is not { } document)
            {
                continue;
            }

            keys.UnionWith(document.Env.ParameterStore.Select(v => v.ParameterName.TrimStart('/')));
            keys.UnionWith(document.Env.Variables.SelectMany(v => v.References).Where(r => r.Kind != DynamicReferenceKind.SecretsManager).Select(r => r.Name.TrimStart('/')));
        }

        return keys;
    }

    /// <summary>
    /// Every string value in the pipelines' declarations (JSON, and JSON inside their strings), looked up once per
    /// parameter: a parameter a pipeline names (in an action's EnvironmentVariables, a configuration value) counts as referenced.
    /// </summary>
    private static HashSet<string> DeclaredStrings(List<string> declarations)
    {
        var strings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var declaration in declarations)
        {
            CollectJson(declaration);
        }

        return strings;

        void CollectJson(string json)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                Collect(document.RootElement);
            }
            catch (JsonException)
            {
                // Not JSON (a declaration the store holds always is; a string value may just look like it): names nothing more.
            }
        }

        void Collect(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    var text = element.GetString()!;
                    strings.Add(text);
                    if (text.StartsWith('[') || text.StartsWith('{'))
                    {
                        // JSON inside a string: a CodeBuild action's EnvironmentVariables configuration.
                        CollectJson(text);
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Collect(property.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item);
                    }

                    break;
                default:
                    break;
            }
        }
    }

    private async Task<List<string>> PipelineDeclarationsAsync(Core.Pipelines.PipelineScope scope, CancellationToken cancellationToken)
    {
        var all = new List<string>();
        string? after = null;
        while (true)
        {
            var batch = await pipelines.ListAsync(scope, after, ListBatch, cancellationToken);
            all.AddRange(batch.Select(p => p.Declaration));
            if (batch.Count < ListBatch)
            {
                return all;
            }

            after = batch[^1].Name;
        }
    }

    private async Task<List<ParameterSnapshot>> ListAllAsync(ParameterScope scope, CancellationToken cancellationToken)
    {
        var all = new List<ParameterSnapshot>();
        string? after = null;
        while (true)
        {
            // Listed as of the epoch: parameters whose Expiration has passed but are not yet swept are reported too.
            var batch = await parameters.ListAsync(scope, new ParameterListQuery(string.Empty, after, ListBatch, DateTimeOffset.UnixEpoch, WithTags: false, WithLabels: false), cancellationToken);
            all.AddRange(batch.Select(b => b.Parameter));
            if (batch.Count < ListBatch)
            {
                return all;
            }

            after = batch[^1].Parameter.Key;
        }
    }

    /// <summary>When each parameter (by ARN) was last read with an allowed GetParameter* call, from the audit log's last-use table.</summary>
    private Task<IReadOnlyDictionary<string, DateTimeOffset>> LastReadsAsync(RequestContext context, CancellationToken cancellationToken) =>
        audit.LastUsesAsync(context.AccountId, "ssm:GetParameter", cancellationToken);

    /// <summary>
    /// A SecureString's plaintext for the comparison, decrypted as GetParameter WithDecryption decrypts it for the
    /// caller; null when the caller may not (noted in <paramref name="notCompared"/> under the key's ARN) or the key
    /// refuses (disabled, deleted: nothing to compare, the other checks still apply).
    /// </summary>
    private async Task<string?> DecryptAsCallerAsync(RequestContext context, ParameterScope scope, ParameterSnapshot parameter,
        Dictionary<string, (AccessDenial Denial, List<string> Names)> notCompared, CancellationToken cancellationToken)
    {
        try
        {
            return await crypto.ValueForAsync(context, scope, parameter.Key, parameter.Version, withDecryption: true, cancellationToken);
        }
        catch (AwsException error) when (error.IsAccessDenied)
        {
            var denial = AccessDenial.Parse(error.Message);
            var keyArn = denial.Resource ?? parameter.Version.KeyId ?? PutParameterPlanner.DefaultKeyId;
            if (!notCompared.TryGetValue(keyArn, out var entry))
            {
                notCompared[keyArn] = entry = (denial, []);
            }

            entry.Names.Add(parameter.Name);
            return null;
        }
        catch (Exception error) when (error is AwsException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The SecureStrings under one key the caller may not decrypt: left out of the duplicate comparison, and what would let them in.</summary>
    private static HygieneFinding NotComparedFinding(string keyArn, AccessDenial denial, List<string> names)
    {
        var action = denial.Action ?? "kms:Decrypt";
        var fix = PermissionFix.IsKeyPolicyDenial(denial) || PermissionFix.IsBoundaryDenial(denial)
            ? null
            : PermissionFix.Grant(denial.PrincipalArn, action, keyArn, "cairn-secrets-report");
        var shown = names.Count <= 20 ? string.Join(", ", names) : string.Join(", ", names.Take(20)) + $" and {names.Count - 20} more";
        return new HygieneFinding(HygieneRules.NotCompared, "note", keyArn,
            $"{names.Count} SecureString(s) encrypted under {keyArn} were not compared for duplicate values: you may not {action} with that key ({shown}).",
            denial.Message,
            fix?.Command is { } command ? [command] : [],
            fix is null
                ? PermissionFix.Describe(denial, [], [keyArn], "cairn-secrets-report")
                : $"The statement that would allow the comparison:\n{fix.Statement}");
    }

    private static HygieneFinding PlaintextFinding(ParameterSnapshot parameter, SecretLook look)
    {
        var name = Quote(parameter.Name);
        return new HygieneFinding(HygieneRules.PlaintextSecret, look.Strong ? "error" : "warning", parameter.Name,
            $"{parameter.Name} looks like a secret but is stored as {parameter.Version.Type}: anyone allowed ssm:GetParameter reads it in plaintext and builds do not mask it.",
            $"{look.Evidence}; type {parameter.Version.Type}, version {parameter.LatestVersion}",
            [$"aws ssm put-parameter --name {name} --type SecureString --overwrite --value \"$(aws ssm get-parameter --name {name} --query Parameter.Value --output text)\""],
            $"GetParameterHistory still returns the {parameter.LatestVersion} plaintext version(s). To remove them: read the value, then "
            + $"`aws ssm delete-parameter --name {name}` and `aws ssm put-parameter --name {name} --type SecureString --value ...` (versions restart at 1, labels are lost); "
            + "rotate the secret if anyone may have read it.");
    }

    private static HygieneFinding NamingFinding(ParameterSnapshot parameter, NamingRule rule, NamingPattern pattern)
    {
        var subject = rule.SubjectOf(parameter.Key);
        var suggestion = pattern.Suggest(subject) is { } fits ? (parameter.Name.StartsWith('/') ? "/" : string.Empty) + (rule.PathPrefix.TrimStart('/') + fits) : null;
        var target = suggestion ?? "<a name that fits>";
        var old = Quote(parameter.Name);
        var type = parameter.Version.Type;
        var keyId = type == ParameterTypes.SecureString && parameter.Version.KeyId is { } key && key != PutParameterPlanner.DefaultKeyId ? $" --key-id {key}" : string.Empty;
        return new HygieneFinding(HygieneRules.NamingRule, rule.Mode == NamingMode.Enforce ? "warning" : "note", parameter.Name,
            $"{parameter.Name} does not follow the naming rule '{rule.Pattern}'" + (rule.PathPrefix == "/" ? "." : $" for names under {rule.PathPrefix}.")
            + (suggestion is null ? string.Empty : $" Rename it to {suggestion}."),
            $"rule '{rule.Pattern}' ({rule.Mode.Text()})" + (rule.Example is { } e ? $", e.g. {e}" : string.Empty),
            [
                $"aws ssm put-parameter --name {Quote(target)} --type {type}{keyId} --value \"$(aws ssm get-parameter --name {old} --with-decryption --query Parameter.Value --output text)\"",
                $"aws ssm delete-parameter --name {old}",
            ],
            $"Parameter Store has no rename: the commands copy the value to the new name, then delete the old one. Change the buildspecs and projects that reference {parameter.Name} first.");
    }

    private static void UnusedFinding(List<HygieneFinding> findings, ParameterSnapshot parameter, DateTimeOffset lastRead, DateTimeOffset now, SecretsReportOptions options)
    {
        var window = TimeSpan.FromDays(options.UnusedDays);
        var created = parameter.Version.LastModifiedDate;
        if (lastRead != default && now - lastRead <= window)
        {
            return;
        }

        var never = lastRead == default;
        var old = now - created > window;
        var message = never
            ? $"{parameter.Name} has never been read with decryption or otherwise in the audit trail" + (old ? $" in {options.UnusedDays} days." : $" since it was stored on {created:yyyy-MM-dd}.")
            : $"{parameter.Name} was last read on {lastRead:yyyy-MM-dd}, {(int)(now - lastRead).TotalDays} days ago.";
        findings.Add(new HygieneFinding(HygieneRules.UnusedSecret, old ? "warning" : "note", parameter.Name, message,
            never ? "no allowed ssm:GetParameter* entry for its ARN in the audit trail" : $"newest allowed read {lastRead:O}",
            [$"aws ssm delete-parameter --name {Quote(parameter.Name)}   # if nothing needs it: check `cairn audit --action ssm:GetParameter` and your buildspecs"]));
    }

    private static void ExpirationFinding(List<HygieneFinding> findings, ParameterSnapshot parameter, DateTimeOffset expires, DateTimeOffset now, SecretsReportOptions options)
    {
        var name = Quote(parameter.Name);
        if (expires <= now)
        {
            findings.Add(new HygieneFinding(HygieneRules.ExpiredParameter, "error", parameter.Name,
                $"{parameter.Name}'s Expiration policy passed at {expires:O}: reads answer ParameterNotFound and it is being deleted.",
                $"Expiration {expires:O}",
                [$"aws ssm put-parameter --name {name} --type {parameter.Version.Type} --tier Advanced --value \"<the new value>\" --policies '[{{\"Type\":\"Expiration\",\"Version\":\"1.0\",\"Attributes\":{{\"Timestamp\":\"<a later time>\"}}}}]'"]));
        }
        else if (expires - now <= TimeSpan.FromDays(options.ExpiringDays))
        {
            findings.Add(new HygieneFinding(HygieneRules.ExpiredParameter, "warning", parameter.Name,
                $"{parameter.Name} expires at {expires:O}, in {(expires - now).TotalHours:0} hours: then reads answer ParameterNotFound.",
                $"Expiration {expires:O}",
                [$"aws ssm put-parameter --name {name} --type {parameter.Version.Type} --tier Advanced --overwrite --value \"<the rotated value>\" --policies '[{{\"Type\":\"Expiration\",\"Version\":\"1.0\",\"Attributes\":{{\"Timestamp\":\"<a later time>\"}}}}]'"]));
        }
    }

    private static void BuildspecFindings(List<HygieneFinding> findings, BuildProject project)
    {
        var text = project.Settings.Source.Buildspec;
        if (string.IsNullOrWhiteSpace(text) || !text.Contains('\n', StringComparison.Ordinal))
        {
            // A file name (the buildspec is in the source): Cairn sees it only when a build runs.
            return;
        }

        var secrets = new HashSet<string>(StringComparer.Ordinal);
        var parsed = BuildspecParser.Parse(text);
        if (parsed.Document is { } document)
        {
            secrets.UnionWith(document.Env.ParameterStore.Select(v => v.Name));
            secrets.UnionWith(document.Env.SecretsManager.Select(v => v.Name));
            secrets.UnionWith(document.Env.Variables.Where(v => v.Value.Contains("{{resolve:", StringComparison.Ordinal)).Select(v => v.Name));
        }

        foreach (var use in BuildspecSecretArguments.Find(text, secrets))
        {
            findings.Add(new HygieneFinding(HygieneRules.SecretOnCommandLine, "error", $"project {project.Name}",
                $"Project {project.Name}'s buildspec line {use.Line} passes ${use.Variable} on a command line: {use.Reason}.",
                use.Shown,
                [use.Fix],
                "Replace the command in the buildspec (codebuild update-project --source, or the file in your repository).",
                File: $"codebuild/{project.Name}/buildspec.yml",
                Line: use.Line));
        }
    }

    private static string Quote(string value) => value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '.') ? value : $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
