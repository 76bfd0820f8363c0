using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.SecretsManager;

/// <summary>Secrets Manager through the real aws CLI v2: the shapes it sends and reads, its error codes, and a denial.</summary>
public sealed class SecretsManagerCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    [Fact]
    public async Task The_cli_creates_reads_versions_tags_lists_deletes_and_restores_a_secret()
    {
        var created = (await cairn.Aws("secretsmanager", "create-secret", "--name", "cli/registry", "--secret-string", """{"username":"ci","password":"hunter2"}""",
            "--description", "registry login", "--tags", "Key=team,Value=build")).Ok();
        var arn = created["ARN"]!.GetValue<string>();
        (await cairn.Aws("secretsmanager", "put-secret-value", "--secret-id", arn, "--secret-string", """{"username":"ci","password":"rotated"}""")).Ok();
        var current = (await cairn.Aws("secretsmanager", "get-secret-value", "--secret-id", "cli/registry")).Ok();
        var previous = (await cairn.Aws("secretsmanager", "get-secret-value", "--secret-id", "cli/registry", "--version-stage", "AWSPREVIOUS")).Ok();
        var described = (await cairn.Aws("secretsmanager", "describe-secret", "--secret-id", "cli/registry")).Ok();
        var versions = (await cairn.Aws("secretsmanager", "list-secret-version-ids", "--secret-id", "cli/registry")).Ok();
        var listed = (await cairn.Aws("secretsmanager", "list-secrets", "--filters", "Key=name,Values=cli/")).Ok();
        (await cairn.Aws("secretsmanager", "tag-resource", "--secret-id", "cli/registry", "--tags", "Key=env,Value=prod")).Ok();
        (await cairn.Aws("secretsmanager", "untag-resource", "--secret-id", "cli/registry", "--tag-keys", "team")).Ok();
        var deleted = (await cairn.Aws("secretsmanager", "delete-secret", "--secret-id", "cli/registry", "--recovery-window-in-days", "7")).Ok();
        var refused = (await cairn.Aws("secretsmanager", "get-secret-value", "--secret-id", "cli/registry")).Fails("InvalidRequestException");
        (await cairn.Aws("secretsmanager", "restore-secret", "--secret-id", "cli/registry")).Ok();
        var tags = (await cairn.Aws("secretsmanager", "describe-secret", "--secret-id", "cli/registry")).Ok()["Tags"]!;

        Assert.StartsWith($"arn:aws:secretsmanager:us-east-1:{cairn.Server.Options.AccountId}:secret:cli/registry-", arn, StringComparison.Ordinal);
        Assert.Equal("""{"username":"ci","password":"rotated"}""", current["SecretString"]!.GetValue<string>());
        Assert.Equal("""{"username":"ci","password":"hunter2"}""", previous["SecretString"]!.GetValue<string>());
        Assert.Equal("registry login", described["Description"]!.GetValue<string>());
        Assert.Equal(2, described["VersionIdsToStages"]!.AsObject().Count);
        Assert.Equal(2, versions["Versions"]!.AsArray().Count);
        Assert.Equal("cli/registry", listed["SecretList"]![0]!["Name"]!.GetValue<string>());
        Assert.NotNull(deleted["DeletionDate"]);
        Assert.Contains("marked for deletion", refused, StringComparison.Ordinal);
        Assert.Equal("""[{"Key":"env","Value":"prod"}]""", tags.ToJsonString());
    }

    [Fact]
    public async Task Ssm_get_parameter_reads_a_secret_through_its_aws_reference_name()
    {
        (await cairn.Aws("secretsmanager", "create-secret", "--name", "cli/ref", "--secret-string", "via-ssm")).Ok();

        var read = (await cairn.Aws("ssm", "get-parameter", "--name", "/aws/reference/secretsmanager/cli/ref", "--with-decryption")).Ok();
        var plain = (await cairn.Aws("ssm", "get-parameter", "--name", "/aws/reference/secretsmanager/cli/ref")).Fails("ValidationException");

        Assert.Equal("via-ssm", read["Parameter"]!["Value"]!.GetValue<string>());
        Assert.Equal("SecureString", read["Parameter"]!["Type"]!.GetValue<string>());
        Assert.Contains("WithDecryption flag must be True", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_without_GetSecretValue_is_denied_and_one_with_it_reads()
    {
        (await cairn.Aws("secretsmanager", "create-secret", "--name", "cli/token", "--secret-string", "t0ken")).Ok();
        var describer = await cairn.UserWithPolicyAsync("sm-describer",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:DescribeSecret","Resource":"*"}]}""");
        var reader = await cairn.UserWithPolicyAsync("sm-reader",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:*:secret:cli/token-??????"}]}""");

        var denied = (await cairn.AwsAs(describer, "secretsmanager", "get-secret-value", "--secret-id", "cli/token")).Fails("AccessDeniedException");
        var read = (await cairn.AwsAs(reader, "secretsmanager", "get-secret-value", "--secret-id", "cli/token", "--query", "SecretString")).Ok();

        Assert.Contains("is not authorized to perform: secretsmanager:GetSecretValue", denied, StringComparison.Ordinal);
        Assert.Equal("t0ken", read.GetValue<string>());
    }

    [Fact]
    public async Task The_cli_gets_a_random_password_and_a_mistyped_id_names_the_closest_secret()
    {
        (await cairn.Aws("secretsmanager", "create-secret", "--name", "cli/batch-two", "--secret-string", "second")).Ok();

        var password = (await cairn.Aws("secretsmanager", "get-random-password", "--password-length", "20", "--exclude-punctuation", "--exclude-characters", "0Oo1lI")).Ok();
        var tooShort = (await cairn.Aws("secretsmanager", "get-random-password", "--password-length", "2")).Fails("InvalidParameterException");
        var mistyped = (await cairn.Aws("secretsmanager", "get-secret-value", "--secret-id", "cli/batch-too")).Fails("ResourceNotFoundException");

        Assert.Matches("^[A-HJ-NP-Za-kmnp-z2-9]{20}$", password["RandomPassword"]!.GetValue<string>());
        Assert.Contains("can't include each of the 4 included types", tooShort, StringComparison.Ordinal);
        Assert.Contains("did you mean cli/batch-two", mistyped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boto3_reads_binary_values_pages_and_sees_AWSs_error_codes_for_bad_input()
    {
        var result = await cairn.Boto3("""
            sm = client("secretsmanager")
            sm.create_secret(Name="boto/bin", SecretBinary=b"\x00\x01\xff")
            print(sm.get_secret_value(SecretId="boto/bin")["SecretBinary"] == b"\x00\x01\xff")
            for i in range(3):
                sm.create_secret(Name=f"boto/page-{i}", SecretString="v")
            names, token = [], None
            while True:
                kwargs = {"MaxResults": 2, "Filters": [{"Key": "name", "Values": ["boto/page-"]}]}
                if token:
                    kwargs["NextToken"] = token
                page = sm.list_secrets(**kwargs)
                names += [s["Name"] for s in page["SecretList"]]
                token = page.get("NextToken")
                if not token:
                    break
            print(sorted(names))
            print(error_code(sm.get_secret_value, SecretId="boto/none"))
            print(error_code(sm.create_secret, Name="boto/both", SecretString="a", SecretBinary=b"b"))
            print(error_code(sm.delete_secret, SecretId="boto/bin", RecoveryWindowInDays=3))
            print(error_code(sm.create_secret, Name="boto/bin", SecretString="again"))
            print(error_code(sm.create_secret, Name="x" * 513, SecretString="v"))
            paginator = sm.get_paginator("list_secrets")
            print(sum(len(p["SecretList"]) for p in paginator.paginate(PaginationConfig={"PageSize": 1})))
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("True", lines[0]);
        Assert.Equal("['boto/page-0', 'boto/page-1', 'boto/page-2']", lines[1]);
        Assert.StartsWith("ResourceNotFoundException: Secrets Manager can't find the specified secret.", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("InvalidParameterException: You can't specify both a binary secret value and a string secret value", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("InvalidParameterException: The RecoveryWindowInDays value must be between 7 and 30 days", lines[4], StringComparison.Ordinal);
        Assert.StartsWith("ResourceExistsException: The operation failed because the secret boto/bin already exists.", lines[5], StringComparison.Ordinal);
        Assert.StartsWith("ValidationException: 1 validation error detected: Value", lines[6], StringComparison.Ordinal);
        Assert.True(int.Parse(lines[7], System.Globalization.CultureInfo.InvariantCulture) >= 4, lines[7]);
    }
}
