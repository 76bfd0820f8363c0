using Cairn.Runner.Diagnostics;

namespace Cairn.Runner.Builds;

/// <summary>
/// Reads a build's parameters through an <see cref="IBuildSecretSource"/> in batches of ten, as CodeBuild calls
/// ssm:GetParameters, and turns a missing parameter or a denial into AWS's "Decrypted Variables Error" context plus
/// Cairn's fix (the parameter to create, or the policy statement the role lacks).
/// </summary>
internal static class SecretResolver
{
    public const string DecryptedVariablesError = "Decrypted Variables Error";
    private const int BatchSize = 10;

    public static async Task<SecretResolution> ResolveAsync(BuildRequest request, IReadOnlyList<string> selectors, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, ResolvedParameter>(StringComparer.Ordinal);
        if (selectors.Count == 0)
        {
            return new SecretResolution(values, null, null);
        }

        if (request.Secrets is not { } source)
        {
            return SecretResolution.Fail(
                $"no Parameter Store to read {string.Join(", ", selectors)} from",
                "run the build against Cairn's data directory (--data) or a running server (--endpoint-url).");
        }

        var missing = new List<string>();
        for (var start = 0; start < selectors.Count; start += BatchSize)
        {
            var batch = selectors.Skip(start).Take(BatchSize).ToList();
            var lookup = await source.GetParametersAsync(batch, cancellationToken);
            if (lookup.Denied is { } denial)
            {
                return await DeniedAsync(request, source, selectors, denial, cancellationToken);
            }

            foreach (var parameter in lookup.Found)
            {
                values[parameter.Name] = parameter;
            }

            missing.AddRange(lookup.Missing);
            missing.AddRange(batch.Where(name => !values.ContainsKey(name) && !lookup.Missing.Contains(name, StringComparer.Ordinal)));
        }

        return missing.Count == 0
            ? new SecretResolution(values, null, null)
            : await MissingAsync(request, source, missing.Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
    }

    /// <summary>The parameter's ARN as IAM policies name it (without a version or label selector).</summary>
    public static string ParameterArn(BuildRequest request, string selector)
    {
        var name = new ParameterUse("", selector, "", false).ParameterName;
        return name.StartsWith("arn:", StringComparison.Ordinal)
            ? name
            : $"arn:aws:ssm:{request.Region}:{request.AccountId}:parameter/{name.TrimStart('/')}";
    }

    private static async Task<SecretResolution> MissingAsync(BuildRequest request, IBuildSecretSource source, List<string> missing, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> existing;
        try
        {
            existing = await source.ListParameterNamesAsync(cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            existing = [];
        }

        var hints = missing.Select(name =>
        {
            var bare = new ParameterUse("", name, "", false).ParameterName;
            var suggestion = SuggestName(bare, existing);
            return suggestion is not null
                ? $"parameter {name} does not exist; did you mean {suggestion}? (names are case-sensitive and a leading '/' matters)"
                : $"parameter {name} does not exist; create it with: {request.AwsCommand} ssm put-parameter --name '{bare}' --type SecureString --value '...'";
        });
        return SecretResolution.Fail($"parameter does not exist: {missing[0]}", string.Join("\n", hints));
    }

    private static async Task<SecretResolution> DeniedAsync(
        BuildRequest request, IBuildSecretSource source, IReadOnlyList<string> selectors, AccessDenial first, CancellationToken cancellationToken)
    {
        // GetParameters names only the first resource it refused: ask for each parameter alone to fix them all at once.
        var parameterArns = new List<string>();
        var keyArns = new List<string>();
        foreach (var selector in selectors)
        {
            var denial = selectors.Count == 1 ? first : (await source.GetParametersAsync([selector], cancellationToken)).Denied;
            if (denial is null)
            {
                continue;
            }

            if (denial.Action?.StartsWith("kms:", StringComparison.OrdinalIgnoreCase) == true && denial.Resource is { } key)
            {
                keyArns.Add(key);
                continue;
            }

            parameterArns.Add(ParameterArn(request, selector));
            try
            {
                if (await source.FindCustomerKeyArnAsync(new ParameterUse("", selector, "", false).ParameterName, cancellationToken) is { } customerKey)
                {
                    keyArns.Add(customerKey);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // The fix then names only the parameters; the key shows up in the next denial.
            }
        }

        var fix = PermissionFix.Describe(first, parameterArns.Distinct(StringComparer.Ordinal).ToList(),
            keyArns.Distinct(StringComparer.Ordinal).ToList(), $"cairn-build-{request.Identity.ProjectName}", request.AwsCommand);
        return SecretResolution.Fail($"AccessDeniedException: {first.Message}", fix);
    }

    /// <summary>An existing name that differs only in case, '-' versus '_', a leading '/', or a typo or two.</summary>
    internal static string? SuggestName(string missing, IReadOnlyList<string> existing)
    {
        var wanted = Normalize(missing);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in existing)
        {
            var distance = EditDistance.Between(wanted, Normalize(name));
            if (distance < bestDistance && name != missing)
            {
                best = name;
                bestDistance = distance;
            }
        }

        return best is not null && bestDistance <= Math.Max(1, wanted.Length / 6) ? best : null;
    }

    private static string Normalize(string name) => name.TrimStart('/').Replace('-', '_').ToLowerInvariant();
}
