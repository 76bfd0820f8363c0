using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Cairn.Core.Tests.Fuzz;
using Cairn.Server.Aws.SigV4;
using Cairn.Server.Tests.Wire;

namespace Cairn.Server.Tests.Fuzz;

/// <summary>
/// Mutated requests, correctly signed so they reach the codecs and the services, against a real server: every answer
/// is a well-formed AWS response or error below 500, within seconds. Fixed seeds, bounded in time.
/// </summary>
public sealed class WireFuzzTests(WireServer wire) : IClassFixture<WireServer>
{
    private static readonly int[] Seeds = [5, 17, 1009];
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    private static readonly (string Target, string Service, string Body)[] JsonCorpus =
    [
        ("AmazonSSM.PutParameter", "ssm", """{"Name":"/fuzz/p","Value":"v","Type":"SecureString","Overwrite":true,"Tags":[],"Tier":"Standard"}"""),
        ("AmazonSSM.GetParameter", "ssm", """{"Name":"/fuzz/p","WithDecryption":true}"""),
        ("AmazonSSM.GetParameters", "ssm", """{"Names":["/fuzz/p","/fuzz/q:1","/fuzz/p:label"],"WithDecryption":false}"""),
        ("AmazonSSM.GetParametersByPath", "ssm", """{"Path":"/fuzz","Recursive":true,"ParameterFilters":[{"Key":"Type","Option":"Equals","Values":["String"]}],"MaxResults":10}"""),
        ("AmazonSSM.DescribeParameters", "ssm", """{"ParameterFilters":[{"Key":"Name","Option":"BeginsWith","Values":["/fuzz"]}],"NextToken":"abc"}"""),
        ("AmazonSSM.LabelParameterVersion", "ssm", """{"Name":"/fuzz/p","ParameterVersion":1,"Labels":["l1"]}"""),
        ("TrentService.CreateKey", "kms", """{"Description":"fuzz","KeyUsage":"ENCRYPT_DECRYPT","Tags":[{"TagKey":"a","TagValue":"b"}]}"""),
        ("TrentService.Encrypt", "kms", """{"KeyId":"alias/aws/ssm","Plaintext":"aGVsbG8=","EncryptionContext":{"a":"b"}}"""),
        ("TrentService.Decrypt", "kms", """{"CiphertextBlob":"AQIDBA==","KeyId":"alias/aws/ssm"}"""),
        ("TrentService.DescribeKey", "kms", """{"KeyId":"alias/aws/ssm"}"""),
        ("TrentService.CreateAlias", "kms", """{"AliasName":"alias/fuzz","TargetKeyId":"alias/aws/ssm"}"""),
        ("CodeBuild_20161006.BatchGetProjects", "codebuild", """{"names":["fuzz","arn:aws:codebuild:us-east-1:000000000000:project/fuzz"]}"""),
        ("CodeBuild_20161006.ListProjects", "codebuild", """{"sortBy":"NAME","sortOrder":"ASCENDING","nextToken":"x"}"""),
        ("CodeBuild_20161006.BatchGetBuilds", "codebuild", """{"ids":["fuzz:00000000-0000-0000-0000-000000000000"]}"""),
        ("CodeBuild_20161006.ListBuildsForProject", "codebuild", """{"projectName":"fuzz"}"""),
        ("CodePipeline_20150709.CreatePipeline", "codepipeline", """{"pipeline":{"name":"fuzz","roleArn":"arn:aws:iam::000000000000:role/r","artifactStore":{"type":"S3","location":"fuzz-bucket"},"stages":[{"name":"Source","actions":[{"name":"Source","actionTypeId":{"category":"Source","owner":"AWS","provider":"CodeStarSourceConnection","version":"1"},"configuration":{"ConnectionArn":"arn:c","FullRepositoryId":"a/b","BranchName":"main"},"outputArtifacts":[{"name":"Src"}]}]},{"name":"Build","actions":[{"name":"Build","runOrder":1,"actionTypeId":{"category":"Build","owner":"AWS","provider":"CodeBuild","version":"1"},"configuration":{"ProjectName":"p"},"inputArtifacts":[{"name":"Src"}]}],"blockers":[{"name":"b","type":"Schedule"}]}],"pipelineType":"V2","variables":[{"name":"v","defaultValue":"d"}],"triggers":[{"providerType":"CodeStarSourceConnection","gitConfiguration":{"sourceActionName":"Source","push":[{"branches":{"includes":["main"]}}]}}]},"tags":[{"key":"k","value":"v"}]}"""),
        ("CodePipeline_20150709.GetPipeline", "codepipeline", """{"name":"fuzz","version":1}"""),
        ("CodePipeline_20150709.ListPipelines", "codepipeline", """{"maxResults":5,"nextToken":"Y2Fpcm46YQ=="}"""),
        ("CodePipeline_20150709.TagResource", "codepipeline", """{"resourceArn":"arn:aws:codepipeline:us-east-1:000000000000:fuzz","tags":[{"key":"a","value":"b"}]}"""),
        ("Logs_20140328.DescribeLogGroups", "logs", """{"logGroupNamePrefix":"/aws/codebuild/","limit":5}"""),
        ("Logs_20140328.GetLogEvents", "logs", """{"logGroupName":"/aws/codebuild/fuzz","logStreamName":"x","startFromHead":true,"nextToken":"f/1"}"""),
        ("Logs_20140328.FilterLogEvents", "logs", """{"logGroupName":"/aws/codebuild/fuzz","filterPattern":"[a, b=\"x\"] { $.level = \"ERROR\" }"}"""),
    ];

    private static readonly (string Service, string Form)[] QueryCorpus =
    [
        ("iam", "Action=CreateUser&Version=2010-05-08&UserName=fuzz-user&Path=%2Ffuzz%2F&Tags.member.1.Key=team&Tags.member.1.Value=red"),
        ("iam", "Action=CreateRole&Version=2010-05-08&RoleName=fuzz-role&Description=d&AssumeRolePolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22codebuild.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"),
        ("iam", "Action=PutRolePolicy&Version=2010-05-08&RoleName=fuzz-role&PolicyName=p&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22ssm%3A*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D"),
        ("iam", "Action=CreatePolicy&Version=2010-05-08&PolicyName=fuzz-policy&Description=x&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Deny%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%7D"),
        ("iam", "Action=ListRoles&Version=2010-05-08&PathPrefix=%2F&MaxItems=5&Marker=MQ%3D%3D"),
        ("iam", "Action=GetRole&Version=2010-05-08&RoleName=fuzz-role"),
        ("iam", "Action=TagRole&Version=2010-05-08&RoleName=fuzz-role&Tags.member.1.Key=k&Tags.member.1.Value=v"),
        ("iam", "Action=ListPolicies&Version=2010-05-08&Scope=Local&OnlyAttached=false"),
        ("iam", "Action=SimulatePrincipalPolicy&Version=2010-05-08&PolicySourceArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Ffuzz-role&ActionNames.member.1=ssm%3AGetParameter&ResourceArns.member.1=*&ContextEntries.member.1.ContextKeyName=aws%3ASourceIp&ContextEntries.member.1.ContextKeyValues.member.1=10.0.0.1&ContextEntries.member.1.ContextKeyType=ip"),
        ("iam", "Action=ListUsers&Version=2010-05-08"),
        ("sts", "Action=GetCallerIdentity&Version=2011-06-15"),
        ("sts", "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Ffuzz-role&RoleSessionName=s1&DurationSeconds=900&ExternalId=abc"),
    ];

    [Fact]
    public async Task Mutated_JSON_requests_never_get_a_500()
    {
        var bodies = JsonCorpus.Select(c => c.Body).ToArray();
        var targets = JsonCorpus.Select(c => c.Target).ToArray();
        var cases = Generate(mutator =>
        {
            var (target, service, body) = mutator.Pick(JsonCorpus);
            if (mutator.Next(10) == 0)
            {
                target = mutator.Mutate(target, targets);
            }

            return (target, service, mutator.MutateBytes(body, bodies));
        });

        var sent = 0;
        foreach (var (seed, i, (target, service, body)) in cases)
        {
            using var message = wire.Json(Printable(target), body);
            Check(await wire.SendSignedAsync(message, service), seed, i, $"{target} {Convert.ToBase64String(body)}");
            sent++;
        }

        Assert.True(sent > 100, $"only {sent} requests sent");
    }

    [Fact]
    public async Task Mutated_Query_requests_never_get_a_500()
    {
        var forms = QueryCorpus.Select(c => c.Form).ToArray();
        var cases = Generate(mutator =>
        {
            var (service, form) = mutator.Pick(QueryCorpus);
            return (service, mutator.MutateBytes(form, forms));
        });

        var sent = 0;
        foreach (var (seed, i, (service, body)) in cases)
        {
            using var message = wire.Form(string.Empty);
            message.Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/x-www-form-urlencoded") } };
            Check(await wire.SendSignedAsync(message, service), seed, i, Convert.ToBase64String(body));
            sent++;
        }

        Assert.True(sent > 100, $"only {sent} requests sent");
    }

    [Fact]
    public async Task Mutated_signature_headers_never_get_a_500()
    {
        var cases = Generate(mutator => mutator.Next(int.MaxValue));
        var sent = 0;
        foreach (var (seed, i, pick) in cases)
        {
            var mutator = new Mutator(pick);
            var (target, service, body) = mutator.Pick(JsonCorpus);
            using var message = wire.Json(target, Encoding.UTF8.GetBytes(body));
            new SigV4Signer(WireServer.AccessKeyId, WireServer.SecretAccessKey, "us-east-1", service).Sign(message, Encoding.UTF8.GetBytes(body), DateTimeOffset.UtcNow);
            var name = mutator.Pick(new[] { "Authorization", "X-Amz-Date", "X-Amz-Target", "X-Amz-Security-Token", "X-Amz-Content-Sha256" });
            var value = message.Headers.TryGetValues(name, out var values) ? values.First() : string.Empty;
            message.Headers.Remove(name);
            message.Headers.TryAddWithoutValidation(name, Printable(mutator.Mutate(value)));
            Check(await wire.SendAsync(message), seed, i, $"{name}: {value}");
            sent++;
        }

        Assert.True(sent > 100, $"only {sent} requests sent");
    }

    /// <summary>Inputs from every seed, generated up front (deterministic), then taken until the time budget runs out.</summary>
    private static IEnumerable<(int Seed, int Iteration, T Case)> Generate<T>(Func<Mutator, T> next)
    {
        var all = new List<(int, int, T)>();
        foreach (var seed in Seeds)
        {
            var mutator = new Mutator(seed);
            for (var i = 0; i < 400; i++)
            {
                all.Add((seed, i, next(mutator)));
            }
        }

        // Interleave seeds so a short budget still tries each of them.
        return all.OrderBy(c => c.Item2).ThenBy(c => c.Item1).TakeWhileWithin(Budget);
    }

    private static void Check(WireResponse response, int seed, int iteration, string input)
    {
        var where = $"seed {seed}, iteration {iteration}, input {input}: {(int)response.Status} {response.Body}";
        Assert.True((int)response.Status < 500, where);
        if (response.Body.Length > 0)
        {
            if (response.Body.StartsWith('{'))
            {
                using var _ = JsonDocument.Parse(response.Body);
            }
            else
            {
                XDocument.Parse(response.Body);
            }
        }
    }

    private static string Printable(string text) => new(text.Where(c => c is >= ' ' and <= '~').ToArray());
}
