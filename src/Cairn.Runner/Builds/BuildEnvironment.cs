using Cairn.Core.Builds;
using System.Globalization;
using Cairn.Core.Buildspec;

namespace Cairn.Runner.Builds;

/// <summary>
/// The variables a build's commands see, layered as CodeBuild does: the host environment, then the variables CodeBuild
/// sets (CODEBUILD_*, AWS_REGION, ...), then the buildspec, then the project, then the StartBuild override; the last
/// layer to name a variable wins. Parameter Store values are filled in by <see cref="Resolve"/>.
/// </summary>
internal sealed class BuildEnvironment
{
    public const string SucceedingVariable = "CODEBUILD_BUILD_SUCCEEDING";

    /// <summary>Set to true (in any layer) to leave String parameters' values readable in the log; SecureStrings stay masked.</summary>
    public const string UnmaskStringParametersVariable = "CAIRN_UNMASK_STRING_PARAMETERS";
    private const string ReservedPrefix = "CODEBUILD_";

    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ParameterUse> _parameters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BuildspecVariable> _references = new(StringComparer.Ordinal);
    private readonly List<string> _secretsManager = [];
    private readonly Dictionary<string, SecretsManagerVariable> _secretsManagerUses = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];

    private BuildEnvironment()
    {
    }

    /// <summary>All variables; the shell reads this dictionary whenever it (re)starts.</summary>
    public Dictionary<string, string> Variables => _variables;

    /// <summary>Parameters to read, by the variable they set.</summary>
    public IReadOnlyCollection<ParameterUse> Parameters => _parameters.Values;

    /// <summary>Buildspec variables holding {{resolve:ssm...}} references, by variable name.</summary>
    public IReadOnlyDictionary<string, BuildspecVariable> References => _references;

    /// <summary>{{resolve:secretsmanager:...}} references ("NAME (env.variables: reference)"): not supported yet.</summary>
    public IReadOnlyList<string> SecretsManager => _secretsManager;

    /// <summary>env.secrets-manager and SECRETS_MANAGER variables to read, by the variable they set.</summary>
    public IReadOnlyCollection<SecretsManagerVariable> SecretsManagerUses => _secretsManagerUses.Values;

    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>After <see cref="Resolve"/>: the String parameters whose values are masked ("name (VARIABLE)").</summary>
    public List<string> MaskedStringParameters { get; } = [];

    /// <summary>After <see cref="Resolve"/>: the String parameters left readable because masking them was turned off.</summary>
    public List<string> UnmaskedStringParameters { get; } = [];

    /// <summary>Every selector GetParameters must be asked for, each once.</summary>
    public IReadOnlyList<string> Selectors =>
        _parameters.Values.Select(p => p.Selector)
            .Concat(_references.Values.SelectMany(v => v.References).Where(r => r.Kind != DynamicReferenceKind.SecretsManager).Select(r => r.Selector))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    public static BuildEnvironment Create(BuildRequest request, BuildspecDocument document, DateTimeOffset startTime)
    {
        var environment = new BuildEnvironment();
        var variables = environment._variables;
        if (request.BaseEnvironment is { } baseEnvironment)
        {
            foreach (var (name, value) in baseEnvironment)
            {
                variables[name] = value;
            }
        }
        else
        {
            foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                variables[(string)entry.Key] = (string?)entry.Value ?? "";
            }
        }

        foreach (var (name, value) in request.SystemVariables)
        {
            variables[name] = value;
        }

        foreach (var (name, value) in CodeBuildVariables(request, startTime))
        {
            variables[name] = value;
        }

        if (!variables.ContainsKey("HOME"))
        {
            variables["HOME"] = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        foreach (var variable in document.Env.Variables)
        {
            environment.SetFromBuildspec(variable);
        }

        foreach (var variable in document.Env.ParameterStore)
        {
            environment.SetParameter(variable.Name, variable.ParameterName, $"env.parameter-store.{variable.Name}");
        }

        foreach (var variable in document.Env.SecretsManager)
        {
            environment.SetSecretsManagerUse(variable);
        }

        environment.SetLayer(request.ProjectVariables, "project environment");
        environment.SetLayer(request.OverrideVariables, "StartBuild override");
        return environment;
    }

    /// <summary>The variables CodeBuild sets for every build.</summary>
    public static IEnumerable<KeyValuePair<string, string>> CodeBuildVariables(BuildRequest request, DateTimeOffset startTime)
    {
        yield return new("AWS_DEFAULT_REGION", request.Region);
        yield return new("AWS_REGION", request.Region);
        yield return new("CODEBUILD_BUILD_ARN", request.BuildArn);
        yield return new("CODEBUILD_BUILD_ID", request.Identity.BuildId);
        yield return new("CODEBUILD_BUILD_IMAGE", request.Image);
        yield return new("CODEBUILD_BUILD_NUMBER", request.Identity.BuildNumber.ToString(CultureInfo.InvariantCulture));
        yield return new(SucceedingVariable, "1");
        yield return new("CODEBUILD_INITIATOR", request.Identity.Initiator);
        yield return new("CODEBUILD_KMS_KEY_ID", $"arn:aws:kms:{request.Region}:{request.AccountId}:alias/aws/s3");
        yield return new("CODEBUILD_LOG_PATH", request.Identity.Uuid);
        yield return new("CODEBUILD_PROJECT_ARN", $"arn:aws:codebuild:{request.Region}:{request.AccountId}:project/{request.Identity.ProjectName}");
        yield return new("CODEBUILD_RESOLVED_SOURCE_VERSION", request.ResolvedSourceVersion ?? request.SourceVersion ?? "");
        yield return new("CODEBUILD_SOURCE_REPO_URL", request.SourceRepoUrl ?? "");
        yield return new("CODEBUILD_SOURCE_VERSION", request.SourceVersion ?? "");
        yield return new("CODEBUILD_SRC_DIR", Path.GetFullPath(request.SourceDirectory));
        yield return new("CODEBUILD_START_TIME", startTime.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Fills in parameter values: parameter-store variables get the value, {{resolve:...}} references are replaced in
    /// place. Returns the values to mask: parameter-store values and every SecureString, as AWS masks them; with
    /// <paramref name="unmaskStringParameters"/>, String parameters' values stay readable.
    /// </summary>
    public IReadOnlyList<string> Resolve(IReadOnlyDictionary<string, ResolvedParameter> values, bool unmaskStringParameters = false)
    {
        var secrets = new List<string>();
        foreach (var use in _parameters.Values)
        {
            var parameter = values[use.Selector];
            _variables[use.Variable] = parameter.Value;
            if (parameter.IsSecureString)
            {
                secrets.Add(parameter.Value);
            }
            else if (use.AlwaysMasked && unmaskStringParameters)
            {
                UnmaskedStringParameters.Add($"{parameter.Name} ({use.Variable})");
            }
            else if (use.AlwaysMasked)
            {
                secrets.Add(parameter.Value);
                MaskedStringParameters.Add($"{parameter.Name} ({use.Variable})");
            }
        }

        foreach (var (name, variable) in _references)
        {
            _variables[name] = variable.Resolve(reference =>
            {
                var parameter = values[reference.Selector];
                if (reference.IsSecret || parameter.IsSecureString)
                {
                    secrets.Add(parameter.Value);
                }

                if (reference.Kind == DynamicReferenceKind.Ssm && parameter.IsSecureString)
                {
                    _warnings.Add($"{reference.Text} names a SecureString: its value is masked; write {{{{resolve:ssm-secure:{reference.Name}}}}} to say so");
                }

                return parameter.Value;
            });
        }

        return secrets;
    }

    private void SetFromBuildspec(BuildspecVariable variable)
    {
        if (!Accept(variable.Name, "env.variables"))
        {
            return;
        }

        Forget(variable.Name);
        var references = variable.References;
        if (references.Any(r => r.Kind == DynamicReferenceKind.SecretsManager))
        {
            SetSecretsManager(variable.Name, $"{variable.Name} (env.variables: {references.First(r => r.Kind == DynamicReferenceKind.SecretsManager).Text})");
            return;
        }

        _variables[variable.Name] = variable.Value;
        if (references.Count > 0)
        {
            _references[variable.Name] = variable;
        }
    }

    private void SetLayer(IReadOnlyList<EnvironmentVariable> layer, string origin)
    {
        foreach (var variable in layer)
        {
            if (!Accept(variable.Name, origin))
            {
                continue;
            }

            Forget(variable.Name);
            switch (variable.Type)
            {
                case EnvironmentVariable.ParameterStore:
                    SetParameter(variable.Name, variable.Value, $"{origin} {variable.Name} (PARAMETER_STORE)");
                    break;
                case EnvironmentVariable.SecretsManager:
                    SetSecretsManagerUse(new SecretsManagerVariable(variable.Name, variable.Value, default));
                    break;
                default:
                    _variables[variable.Name] = variable.Value;
                    break;
            }
        }
    }

    private void SetParameter(string variable, string selector, string origin)
    {
        if (!Accept(variable, origin))
        {
            return;
        }

        Forget(variable);
        _parameters[variable] = new ParameterUse(variable, selector, origin, AlwaysMasked: true);
    }

    private void SetSecretsManager(string variable, string description)
    {
        _variables.Remove(variable);
        _secretsManager.Add(description);
    }

    private void SetSecretsManagerUse(SecretsManagerVariable variable)
    {
        if (!Accept(variable.Name, "env.secrets-manager"))
        {
            return;
        }

        Forget(variable.Name);
        _variables.Remove(variable.Name);
        _secretsManagerUses[variable.Name] = variable;
    }

    /// <summary>Sets a Secrets Manager variable's value once it is read.</summary>
    public void SetSecretsManagerValue(string variable, string value) => _variables[variable] = value;

    /// <summary>A later layer replaces whatever an earlier one said about the variable.</summary>
    private void Forget(string name)
    {
        _secretsManagerUses.Remove(name);
        _parameters.Remove(name);
        _references.Remove(name);
        _secretsManager.RemoveAll(s => s.StartsWith(name + " (", StringComparison.Ordinal));
    }

    /// <summary>True when a layer sets <see cref="UnmaskStringParametersVariable"/> to true (or 1, yes).</summary>
    public bool UnmasksStringParameters =>
        _variables.TryGetValue(UnmaskStringParametersVariable, out var value) && value.Trim().ToLowerInvariant() is "true" or "1" or "yes";

    private bool Accept(string name, string origin)
    {
        if (!name.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        _warnings.Add($"{origin}: {name} is ignored; the CODEBUILD_ prefix is reserved for variables CodeBuild sets");
        return false;
    }
}
