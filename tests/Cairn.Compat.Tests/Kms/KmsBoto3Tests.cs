using Cairn.Compat.Tests.Harness;

namespace Cairn.Compat.Tests.Kms;

/// <summary>The key service driven by boto3.</summary>
[Collection(CairnCollection.Name)]
public sealed class KmsBoto3Tests(CairnFixture cairn)
{
    [Fact]
    public async Task Create_key_encrypt_and_decrypt_with_encryption_context_round_trip()
    {
        var result = (await cairn.Boto3.RunAsync($$"""
            kms = client("kms")
            key = kms.create_key(Description="boto3 key")["KeyMetadata"]
            context = {"PARAMETER_ARN": "arn:aws:ssm:us-east-1:{{cairn.AccountId}}:parameter/boto3/pw"}
            blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"boto3-secret", EncryptionContext=context)["CiphertextBlob"]
            out = kms.decrypt(CiphertextBlob=blob, EncryptionContext=context)
            wrong = error_code(lambda: kms.decrypt(CiphertextBlob=blob, EncryptionContext={"PARAMETER_ARN": "other"}))
            print(json.dumps({
                "keyId": key["KeyId"], "enabled": key["Enabled"], "state": key["KeyState"],
                "plaintext": out["Plaintext"].decode(), "decryptKeyId": out["KeyId"], "wrongContext": wrong,
            }))
            """)).Json();

        Assert.True(result["enabled"]!.GetValue<bool>());
        Assert.Equal("Enabled", result["state"]!.GetValue<string>());
        Assert.Equal("boto3-secret", result["plaintext"]!.GetValue<string>());
        Assert.EndsWith(":key/" + result["keyId"]!.GetValue<string>(), result["decryptKeyId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("InvalidCiphertextException", result["wrongContext"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_aliases_shows_alias_aws_ssm()
    {
        var names = (await cairn.Boto3.RunAsync("""
            pages = client("kms").get_paginator("list_aliases").paginate()
            print(json.dumps([a["AliasName"] for page in pages for a in page["Aliases"]]))
            """)).Json().AsArray().Select(n => n!.GetValue<string>());

        Assert.Contains("alias/aws/ssm", names);
    }

    [Fact]
    public async Task Disable_key_then_encrypt_fails_with_DisabledException()
    {
        var result = (await cairn.Boto3.RunAsync("""
            kms = client("kms")
            key_id = kms.create_key()["KeyMetadata"]["KeyId"]
            kms.disable_key(KeyId=key_id)
            state = kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]
            try:
                kms.encrypt(KeyId=key_id, Plaintext=b"x")
                code, message = None, None
            except ClientError as e:
                code, message = e.response["Error"]["Code"], e.response["Error"]["Message"]
            print(json.dumps({"keyId": key_id, "state": state, "code": code, "message": message}))
            """)).Json();

        Assert.Equal("Disabled", result["state"]!.GetValue<string>());
        Assert.Equal("DisabledException", result["code"]!.GetValue<string>());
        Assert.EndsWith($":key/{result["keyId"]!.GetValue<string>()} is disabled.", result["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_keys_paginates_through_every_key()
    {
        var result = (await cairn.Boto3.RunAsync("""
            kms = client("kms")
            created = {kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(3)}
            pages = kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": 1})
            listed = [k["KeyId"] for page in pages for k in page["Keys"]]
            print(json.dumps({"missing": sorted(created - set(listed)), "duplicates": len(listed) - len(set(listed))}))
            """)).Json();

        Assert.Empty(result["missing"]!.AsArray());
        Assert.Equal(0, result["duplicates"]!.GetValue<int>());
    }

    [Fact]
    public async Task Generate_data_key_and_decrypt_it()
    {
        var result = (await cairn.Boto3.RunAsync("""
            kms = client("kms")
            key_id = kms.create_key()["KeyMetadata"]["KeyId"]
            data_key = kms.generate_data_key(KeyId=key_id, NumberOfBytes=48, EncryptionContext={"purpose": "test"})
            back = kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"], EncryptionContext={"purpose": "test"})["Plaintext"]
            print(json.dumps({"length": len(data_key["Plaintext"]), "same": back == data_key["Plaintext"]}))
            """)).Json();

        Assert.Equal(48, result["length"]!.GetValue<int>());
        Assert.True(result["same"]!.GetValue<bool>());
    }
}
