using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Kms;

/// <summary>Key deletion, tags, rotation, ReEncrypt and key policies through boto3.</summary>
public sealed class KmsLifecycleBoto3Tests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    [Fact]
    public async Task Schedule_and_cancel_key_deletion()
    {
        var result = (await cairn.Boto3("""
            key_id = kms.create_key()["KeyMetadata"]["KeyId"]
            scheduled = kms.schedule_key_deletion(KeyId=key_id)
            refused = error_code(kms.encrypt, KeyId=key_id, Plaintext=b"x")
            described = kms.describe_key(KeyId=key_id)["KeyMetadata"]
            kms.cancel_key_deletion(KeyId=key_id)
            not_pending = error_code(kms.cancel_key_deletion, KeyId=key_id)
            print(json.dumps({"window": scheduled["PendingWindowInDays"], "state": described["KeyState"],
                "hasDate": "DeletionDate" in described, "refused": refused, "after": kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"],
                "notPending": not_pending}))
            """)).Ok();

        Assert.Equal(30, result["window"]!.GetValue<int>());
        Assert.Equal("PendingDeletion", result["state"]!.GetValue<string>());
        Assert.True(result["hasDate"]!.GetValue<bool>());
        Assert.StartsWith("KMSInvalidStateException", result["refused"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Disabled", result["after"]!.GetValue<string>());
        Assert.StartsWith("KMSInvalidStateException", result["notPending"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tags_enable_key_rotation_re_encrypt_and_generate_random()
    {
        var result = (await cairn.Boto3("""
            key_id = kms.create_key(Tags=[{"TagKey": "team", "TagValue": "build"}])["KeyMetadata"]["KeyId"]
            kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "env", "TagValue": "dev"}])
            tags = kms.list_resource_tags(KeyId=key_id)["Tags"]
            too_many = error_code(kms.tag_resource, KeyId=key_id, Tags=[{"TagKey": "k%d" % i, "TagValue": "v"} for i in range(49)])
            old = kms.encrypt(KeyId=key_id, Plaintext=b"before")["CiphertextBlob"]
            kms.enable_key_rotation(KeyId=key_id)
            rotation = kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"]
            other = kms.create_key()["KeyMetadata"]["KeyId"]
            moved = kms.re_encrypt(CiphertextBlob=old, DestinationKeyId=other)
            random = kms.generate_random(NumberOfBytes=16)["Plaintext"]
            print(json.dumps({"tags": sorted(t["TagKey"] for t in tags), "tooMany": too_many, "rotation": rotation, "movedTo": moved["KeyId"].endswith(other),
                "old": kms.decrypt(CiphertextBlob=old)["Plaintext"].decode(), "moved": kms.decrypt(CiphertextBlob=moved["CiphertextBlob"])["Plaintext"].decode(),
                "random": len(random)}))
            """)).Ok();

        Assert.Equal(["env", "team"], result["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.StartsWith("LimitExceededException", result["tooMany"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(result["rotation"]!.GetValue<bool>());
        Assert.True(result["movedTo"]!.GetValue<bool>());
        Assert.Equal("before", result["old"]!.GetValue<string>());
        Assert.Equal("before", result["moved"]!.GetValue<string>());
        Assert.Equal(16, result["random"]!.GetValue<int>());
    }

    [Fact]
    public async Task Key_policy_round_trips_and_the_lockout_check_refuses_a_policy_without_the_caller()
    {
        var result = (await cairn.Boto3("""
            key_id = kms.create_key()["KeyMetadata"]["KeyId"]
            default = json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
            locked = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "kms:*", "Resource": "*"}]}
            lockout = error_code(kms.put_key_policy, KeyId=key_id, PolicyName="default", Policy=json.dumps(locked))
            print(json.dumps({"principal": default["Statement"][0]["Principal"]["AWS"], "lockout": lockout,
                "names": kms.list_key_policies(KeyId=key_id)["PolicyNames"]}))
            """)).Ok();

        Assert.Equal($"arn:aws:iam::{cairn.Server.Options.AccountId}:root", result["principal"]!.GetValue<string>());
        Assert.StartsWith("MalformedPolicyDocumentException", result["lockout"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("default", result["names"]![0]!.GetValue<string>());
    }
}
