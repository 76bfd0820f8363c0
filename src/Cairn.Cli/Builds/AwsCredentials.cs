namespace Cairn.Cli.Builds;

/// <summary>An access key (with a session token for temporary credentials) and the principal it belongs to, when known.</summary>
internal sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null, string? PrincipalArn = null)
{
    /// <summary>The values the build log must never show.</summary>
    public IEnumerable<string> Secrets => SessionToken is null ? [AccessKeyId, SecretAccessKey] : [AccessKeyId, SecretAccessKey, SessionToken];

    /// <summary>
    /// Credentials the way the AWS CLI finds them: <paramref name="profile"/> (or AWS_PROFILE) from the shared credentials
    /// file, else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, else the default profile. Null when none.
    /// </summary>
    public static AwsCredentials? Find(string? profile, Func<string, string?> getVariable)
    {
        var explicitProfile = profile ?? Blank(getVariable("AWS_PROFILE"));
        if (explicitProfile is null && Blank(getVariable("AWS_ACCESS_KEY_ID")) is { } id && Blank(getVariable("AWS_SECRET_ACCESS_KEY")) is { } secret)
        {
            return new AwsCredentials(id, secret, Blank(getVariable("AWS_SESSION_TOKEN")));
        }

        var file = Blank(getVariable("AWS_SHARED_CREDENTIALS_FILE"))
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws", "credentials");
        return File.Exists(file) ? FromProfile(File.ReadAllLines(file), explicitProfile ?? "default") : null;
    }

    /// <summary>Reads one [profile] of a shared credentials file.</summary>
    public static AwsCredentials? FromProfile(IEnumerable<string> lines, string profile)
    {
        string? id = null, secret = null, token = null;
        var inProfile = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                inProfile = line.Trim('[', ']').Trim() == profile;
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (!inProfile || equals < 0)
            {
                continue;
            }

            var value = line[(equals + 1)..].Trim();
            switch (line[..equals].Trim())
            {
                case "aws_access_key_id": id = value; break;
                case "aws_secret_access_key": secret = value; break;
                case "aws_session_token": token = value; break;
            }
        }

        return id is null || secret is null ? null : new AwsCredentials(id, secret, token);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
