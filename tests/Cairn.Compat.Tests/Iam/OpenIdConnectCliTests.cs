using System.Security.Cryptography;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Iam;

/// <summary>
/// OpenID Connect providers and STS AssumeRoleWithWebIdentity through the real aws CLI and boto3, against a test-local
/// issuer (<see cref="TestOidcIssuer"/>) whose tokens are signed with RS256 and ES256 keys it publishes as a JWKS.
/// </summary>
public sealed class OpenIdConnectCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>, IDisposable
{
    private const string Audience = "sts.amazonaws.com";

    // This image's aws CLI predates optional thumbprints: it requires --thumbprint-list (Cairn stores them, tokens are checked with the JWKS).
    private static readonly string Thumbprint = new('f', 40);
    private readonly TestOidcIssuer _issuer = new();

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public async Task The_CLI_creates_reads_changes_tags_and_deletes_an_oidc_provider_with_IAMs_errors()
    {
        const string Url = "https://token.actions.githubusercontent.com";
        var thumbprint = new string('a', 40);
        var arn = (await cairn.Aws("iam", "create-open-id-connect-provider", "--url", Url, "--client-id-list", Audience,
            "--thumbprint-list", thumbprint, "--tags", "Key=team,Value=ci")).Ok()["OpenIDConnectProviderArn"]!.GetValue<string>();
        var duplicate = (await cairn.Aws("iam", "create-open-id-connect-provider", "--url", Url, "--thumbprint-list", Thumbprint)).Fails("EntityAlreadyExists");
        var plainHttp = (await cairn.Aws("iam", "create-open-id-connect-provider", "--url", "http://issuer.example.com", "--thumbprint-list", Thumbprint)).Fails("InvalidInput");
        var notHex = (await cairn.Aws("iam", "create-open-id-connect-provider", "--url", "https://x.example.com", "--thumbprint-list", new string('g', 40))).Fails("InvalidInput");
        (await cairn.Aws("iam", "add-client-id-to-open-id-connect-provider", "--open-id-connect-provider-arn", arn, "--client-id", "my-app")).Ok();
        (await cairn.Aws("iam", "remove-client-id-from-open-id-connect-provider", "--open-id-connect-provider-arn", arn, "--client-id", Audience)).Ok();
        (await cairn.Aws("iam", "update-open-id-connect-provider-thumbprint", "--open-id-connect-provider-arn", arn, "--thumbprint-list", new string('b', 40))).Ok();
        (await cairn.Aws("iam", "tag-open-id-connect-provider", "--open-id-connect-provider-arn", arn, "--tags", "Key=env,Value=prod")).Ok();
        (await cairn.Aws("iam", "untag-open-id-connect-provider", "--open-id-connect-provider-arn", arn, "--tag-keys", "team")).Ok();
        var got = (await cairn.Aws("iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", arn)).Ok();
        var tags = (await cairn.Aws("iam", "list-open-id-connect-provider-tags", "--open-id-connect-provider-arn", arn)).Ok();
        var listed = (await cairn.Aws("iam", "list-open-id-connect-providers")).Ok();
        (await cairn.Aws("iam", "delete-open-id-connect-provider", "--open-id-connect-provider-arn", arn)).Ok();
        var gone = (await cairn.Aws("iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", arn)).Fails("NoSuchEntity");

        Assert.Equal("arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com", arn);
        Assert.Contains($"Provider with url {Url} already exists.", duplicate, StringComparison.Ordinal);
        Assert.Contains("Invalid Open ID Connect Provider URL", plainHttp, StringComparison.Ordinal);
        Assert.Contains("40 hexadecimal digits", notHex, StringComparison.Ordinal);
        Assert.Equal("token.actions.githubusercontent.com", got["Url"]!.GetValue<string>());
        Assert.Equal(["my-app"], got["ClientIDList"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal([new string('b', 40)], got["ThumbprintList"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["env"], tags["Tags"]!.AsArray().Select(t => t!["Key"]!.GetValue<string>()));
        Assert.Contains(listed["OpenIDConnectProviderList"]!.AsArray(), p => p!["Arn"]!.GetValue<string>() == arn);
        Assert.Contains($"OpenIDConnect Provider not found for arn {arn}", gone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_CI_job_gets_credentials_with_the_CLI_from_an_RS256_token_and_uses_them()
    {
        var (roleArn, _) = await ProviderAndRoleAsync("cli-ci-role", "repo:acme/app:*");
        var token = _issuer.Token(Audience, "repo:acme/app:ref:refs/heads/main");

        var answer = (await cairn.AwsAs(NoCredentials(), "sts", "assume-role-with-web-identity", "--role-arn", roleArn,
            "--role-session-name", "gha-run-1", "--web-identity-token", token)).Ok();
        var credentials = answer["Credentials"]!;
        var session = cairn.Credentials(credentials["AccessKeyId"]!.GetValue<string>(), credentials["SecretAccessKey"]!.GetValue<string>(),
            credentials["SessionToken"]!.GetValue<string>());
        var caller = (await cairn.AwsAs(session, "sts", "get-caller-identity")).Ok();
        (await cairn.AwsAs(session, "ssm", "put-parameter", "--name", "/ci/from-oidc", "--value", "v", "--type", "String")).Ok();
        var denied = (await cairn.AwsAs(session, "ssm", "delete-parameter", "--name", "/ci/from-oidc")).Fails("AccessDeniedException");

        Assert.Equal("repo:acme/app:ref:refs/heads/main", answer["SubjectFromWebIdentityToken"]!.GetValue<string>());
        Assert.Equal(Audience, answer["Audience"]!.GetValue<string>());
        Assert.Equal(_issuer.Url, answer["Provider"]!.GetValue<string>());
        Assert.Equal("arn:aws:sts::000000000000:assumed-role/cli-ci-role/gha-run-1", answer["AssumedRoleUser"]!["Arn"]!.GetValue<string>());
        Assert.StartsWith("ASIA", credentials["AccessKeyId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("arn:aws:sts::000000000000:assumed-role/cli-ci-role/gha-run-1", caller["Arn"]!.GetValue<string>());
        Assert.Contains("ssm:DeleteParameter", denied, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boto3_assumes_a_role_with_an_ES256_token_and_each_failed_check_says_what_failed()
    {
        var (roleArn, providerArn) = await ProviderAndRoleAsync("boto-ci-role", "system:serviceaccount:build:*");
        var unreachable = TestOidcIssuer.Unreachable;
        (await cairn.Aws("iam", "create-open-id-connect-provider", "--url", unreachable, "--client-id-list", Audience, "--thumbprint-list", Thumbprint)).Ok();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string Sub = "system:serviceaccount:build:runner";
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string[] tokens =
        [
            _issuer.Token(Audience, Sub, alg: "ES256"),
            _issuer.Token("someone-else", Sub, alg: "ES256"),
            _issuer.Token(Audience, Sub, alg: "ES256", signWith: otherKey),
            _issuer.Token(Audience, Sub, alg: "ES256", kid: "retired-key"),
            _issuer.Token(Audience, Sub, changes: new Dictionary<string, object?> { ["exp"] = now - 600, ["iat"] = now - 900, ["nbf"] = now - 900 }),
            _issuer.Token(Audience, Sub, changes: new Dictionary<string, object?> { ["nbf"] = now + 600 }),
            _issuer.Token(Audience, "system:serviceaccount:default:intruder"),
            _issuer.Token(Audience, Sub, changes: new Dictionary<string, object?> { ["iss"] = "https://unregistered.example.com" }),
            _issuer.Token(Audience, Sub, changes: new Dictionary<string, object?> { ["iss"] = unreachable }),
            _issuer.Token(Audience, Sub, alg: "none"),
            "not-a-jwt",
        ];
        var result = await cairn.Boto3($$"""
            from botocore import UNSIGNED
            anon = boto3.client("sts", endpoint_url=endpoint, config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}), region_name="us-east-1")
            tokens = {{System.Text.Json.JsonSerializer.Serialize(tokens)}}
            r = anon.assume_role_with_web_identity(RoleArn="{{roleArn}}", RoleSessionName="k8s-pod", WebIdentityToken=tokens[0], DurationSeconds=900)
            assert r["SubjectFromWebIdentityToken"] == "{{Sub}}" and r["Audience"] == "{{Audience}}", r
            assert r["AssumedRoleUser"]["Arn"].endswith(":assumed-role/boto-ci-role/k8s-pod"), r
            creds = r["Credentials"]
            s = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=creds["AccessKeyId"],
                             aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
            print(s.get_caller_identity()["Arn"])
            for t in tokens[1:]:
                print(error_code(anon.assume_role_with_web_identity, RoleArn="{{roleArn}}", RoleSessionName="k8s-pod", WebIdentityToken=t))
            # A role that does not exist: a good token hears what a trust refusal says; a bad one hears about its token only.
            missing = "{{roleArn}}".replace("boto-ci-role", "no-such-role")
            print(error_code(anon.assume_role_with_web_identity, RoleArn=missing, RoleSessionName="k8s-pod", WebIdentityToken=tokens[0]))
            print(error_code(anon.assume_role_with_web_identity, RoleArn=missing, RoleSessionName="k8s-pod", WebIdentityToken=tokens[2]))
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("arn:aws:sts::000000000000:assumed-role/boto-ci-role/k8s-pod", lines[0]);
        Assert.StartsWith("InvalidIdentityToken: Incorrect token audience: the token's aud is [someone-else]", lines[1], StringComparison.Ordinal);
        Assert.Contains($"accepts [{Audience}]", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("InvalidIdentityToken: The web identity token's signature does not verify with key ec-1", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("InvalidIdentityToken: The web identity token's signing key (kid retired-key, ES256) is not among the keys", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("ExpiredTokenException: Token expired", lines[4], StringComparison.Ordinal);
        Assert.StartsWith("InvalidIdentityToken: The web identity token is not valid yet", lines[5], StringComparison.Ordinal);
        Assert.StartsWith("AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity", lines[6], StringComparison.Ordinal);
        Assert.Contains(providerArn, lines[6], StringComparison.Ordinal);
        Assert.StartsWith("InvalidIdentityToken: No OpenIDConnect provider found in your account for https://unregistered.example.com", lines[7], StringComparison.Ordinal);
        Assert.StartsWith($"IDPCommunicationError: Couldn't retrieve verification key from your identity provider {unreachable}", lines[8], StringComparison.Ordinal);
        Assert.StartsWith("InvalidIdentityToken: The web identity token is signed with none", lines[9], StringComparison.Ordinal);
        Assert.StartsWith("InvalidIdentityToken: The web identity token is not a signed JWT", lines[10], StringComparison.Ordinal);
        Assert.StartsWith("AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity on resource: " + roleArn.Replace("boto-ci-role", "no-such-role", StringComparison.Ordinal)
            + ": no statement of the role's trust policy allows", lines[11], StringComparison.Ordinal);
        Assert.StartsWith("InvalidIdentityToken: The web identity token's signature does not verify with key ec-1", lines[12], StringComparison.Ordinal);
        Assert.Equal(13, lines.Length);
        // The first token fetched the keys; the unknown kid came within OidcKeySource.RefetchAfter, so the cached set answered it.
        Assert.Equal(1, _issuer.JwksFetches);
    }

    /// <summary>The aws CLI with no credentials at all: AssumeRoleWithWebIdentity is unsigned, as on AWS.</summary>
    private static Dictionary<string, string> NoCredentials() => new()
    {
        ["AWS_DEFAULT_REGION"] = "us-east-1", ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null", ["AWS_CONFIG_FILE"] = "/dev/null",
    };

    /// <summary>The issuer as an OIDC provider and a role it may assume for subjects like <paramref name="subjectPattern"/>, allowed ssm:PutParameter.</summary>
    private async Task<(string RoleArn, string ProviderArn)> ProviderAndRoleAsync(string roleName, string subjectPattern)
    {
        var providerArn = (await cairn.Aws("iam", "create-open-id-connect-provider", "--url", _issuer.Url, "--client-id-list", Audience, "--thumbprint-list", Thumbprint))
            .Ok()["OpenIDConnectProviderArn"]!.GetValue<string>();
        var trust = $$$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"{{{providerArn}}}"},"Action":"sts:AssumeRoleWithWebIdentity",
              "Condition":{"StringEquals":{"{{{_issuer.ProviderId}}}:aud":"{{{Audience}}}"},"StringLike":{"{{{_issuer.ProviderId}}}:sub":"{{{subjectPattern}}}"} } } ] }
            """;
        var roleArn = (await cairn.Aws("iam", "create-role", "--role-name", roleName, "--assume-role-policy-document", trust)).Ok()["Role"]!["Arn"]!.GetValue<string>();
        (await cairn.Aws("iam", "put-role-policy", "--role-name", roleName, "--policy-name", "ci",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:PutParameter","Resource":"*"}]}""")).Ok();
        return (roleArn, providerArn);
    }
}
