using Cairn.Core.Buildspec;
using Cairn.Core.Errors;
using Cairn.Core.Identity.Policies;
using Cairn.Core.Tests.Buildspec;

namespace Cairn.Core.Tests.Fuzz;

/// <summary>
/// Mutated and random input for the parsers that read what users send: each answers within a second, and fails only
/// in its documented way (the policy parser with MalformedPolicyDocument; the buildspec parser with errors in its
/// result, or <see cref="BuildspecException"/> from ParseOrThrow). Fixed seeds: every run tries the same inputs.
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly int[] Seeds = [1, 7, 42, 2024];
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan PerInput = TimeSpan.FromSeconds(10);

    private static readonly string[] Policies =
    [
        """{"Version":"2012-10-17","Statement":[{"Sid":"A1","Effect":"Allow","Action":["ssm:GetParameter*","kms:Decrypt"],"Resource":"arn:aws:ssm:*:*:parameter/app/${aws:username}/*"}]}""",
        """{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"iam:*","NotResource":["*"],"Condition":{"StringLike":{"aws:PrincipalTag/team":["red*","blue?"]},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"Bool":{"aws:SecureTransport":"true"},"NumericLessThanEquals":{"s3:max-keys":"10"}}}}""",
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::000000000000:root","000000000000"],"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}]}""",
        """{"Version":"2012-10-17","Id":"p","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]},"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"},"Null":{"aws:TokenIssueTime":"true"}}}]}""",
    ];

    [Fact]
    public void The_policy_parser_fails_only_with_MalformedPolicyDocument_on_mutated_documents()
    {
        var kinds = Enum.GetValues<PolicyKind>();
        var tried = Mutator.Run(Seeds, 20_000, Budget, (mutator, _) =>
        {
            var document = mutator.Next(20) == 0 ? Random(mutator) : mutator.Mutate(mutator.Pick(Policies), Policies);
            var kind = mutator.Pick(kinds);
            Mutator.WithinTime(() =>
            {
                try
                {
                    return PolicyDocument.Parse(document, kind);
                }
                catch (AwsException error)
                {
                    Assert.True(error.Code == "MalformedPolicyDocument", $"{error.Code}: {error.Message} for {Mutator.Show(document)}");
                    return null;
                }
            }, PerInput, () => Mutator.Show(document));
        });

        Assert.True(tried > 100, $"only {tried} inputs tried");
    }

    [Fact]
    public void The_buildspec_parser_and_linter_never_throw_on_mutated_buildspecs()
    {
        var corpus = typeof(SeedBuildspecs).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(string)).Select(f => (string)f.GetValue(null)!).Append(Buildspec).ToArray();
        var tried = Mutator.Run(Seeds, 5_000, Budget, (mutator, _) =>
        {
            var yaml = mutator.Next(20) == 0 ? Random(mutator) : mutator.Mutate(mutator.Pick(corpus), corpus);
            Mutator.WithinTime(() =>
            {
                var parsed = BuildspecParser.Parse(yaml);
                Assert.True(parsed.Succeeded || parsed.Errors.Count > 0, "a failed parse names its errors");
                BuildspecLinter.Lint(yaml);
                try
                {
                    BuildspecParser.ParseOrThrow(yaml);
                }
                catch (BuildspecException)
                {
                    // its documented failure
                }

                return parsed;
            }, PerInput, () => Mutator.Show(yaml));
        });

        Assert.True(tried > 50, $"only {tried} inputs tried");
    }

    private static string Random(Mutator mutator)
    {
        var chars = new char[mutator.Next(200)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)mutator.Next(0x80);
        }

        return new string(chars);
    }

    private const string Buildspec = """
        version: 0.2
        env:
          shell: bash
          variables:
            A: "1"
          parameter-store:
            TOKEN: /app/token
          secrets-manager:
            KEY: arn:aws:secretsmanager:us-east-1:000000000000:secret:x:key::
          exported-variables: [A]
        phases:
          install:
            runtime-versions:
              python: 3.12
            on-failure: CONTINUE
            commands:
              - pip install -r requirements.txt
            finally:
              - echo done
          build:
            commands:
              - |
                set -e
                make test
              - echo "${A}" > out.txt
        reports:
          unit:
            files: ['**/*.xml']
            file-format: JUNITXML
        artifacts:
          files:
            - out.txt
          discard-paths: yes
          secondary-artifacts:
            extra:
              files: ['**/*']
        cache:
          paths:
            - /root/.cache/pip/**/*
        batch:
          build-matrix:
            dynamic:
              env:
                variables:
                  V: [a, b]
        """;
}
