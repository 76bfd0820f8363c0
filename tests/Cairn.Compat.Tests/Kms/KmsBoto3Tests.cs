using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Kms;

/// <summary>The key service driven by boto3.</summary>
public sealed class KmsBoto3Tests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    [Fact]
    public async Task Create_key_encrypt_and_decrypt_with_encryption_context_round_trip()
    {
        var result = (await cairn.Boto3($$"""
            key = kms.create_key(Description="boto3 key")["KeyMetadata"]
            context = {"PARAMETER_ARN": "arn:aws:ssm:us-east-1:{{cairn.Server.Options.AccountId}}:parameter/boto3/pw"}
            blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"boto3-secret", EncryptionContext=context)["CiphertextBlob"]
            out = kms.decrypt(CiphertextBlob=blob, EncryptionContext=context)
            wrong = error_code(kms.decrypt, CiphertextBlob=blob, EncryptionContext={"PARAMETER_ARN": "other"})
            print(json.dumps({
                "keyId": key["KeyId"], "enabled": key["Enabled"], "state": key["KeyState"],
                "plaintext": out["Plaintext"].decode(), "decryptKeyId": out["KeyId"], "wrongContext": wrong,
            }))
            """)).Ok();

        Assert.True(result["enabled"]!.GetValue<bool>());
        Assert.Equal("Enabled", result["state"]!.GetValue<string>());
        Assert.Equal("boto3-secret", result["plaintext"]!.GetValue<string>());
        Assert.EndsWith(":key/" + result["keyId"]!.GetValue<string>(), result["decryptKeyId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("InvalidCiphertextException", result["wrongContext"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_aliases_shows_alias_aws_ssm()
    {
        var names = (await cairn.Boto3("""
            pages = kms.get_paginator("list_aliases").paginate()
            print(json.dumps([a["AliasName"] for page in pages for a in page["Aliases"]]))
            """)).Ok().AsArray().Select(n => n!.GetValue<string>());

        Assert.Contains("alias/aws/ssm", names);
    }

    [Fact]
    public async Task Disable_key_then_encrypt_fails_with_DisabledException()
    {
        var result = (await cairn.Boto3("""
            key_id = kms.create_key()["KeyMetadata"]["KeyId"]
            kms.disable_key(KeyId=key_id)
            state = kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]
            print(json.dumps({"keyId": key_id, "state": state, "error": error_code(kms.encrypt, KeyId=key_id, Plaintext=b"x")}))
            """)).Ok();

        Assert.Equal("Disabled", result["state"]!.GetValue<string>());
        Assert.StartsWith("DisabledException: arn:aws:kms:", result["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith($":key/{result["keyId"]!.GetValue<string>()} is disabled.", result["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_keys_paginates_through_every_key()
    {
        var result = (await cairn.Boto3("""
            created = {kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(3)}
            pages = kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": 1})
            listed = [k["KeyId"] for page in pages for k in page["Keys"]]
            print(json.dumps({"missing": sorted(created - set(listed)), "duplicates": len(listed) - len(set(listed))}))
            """)).Ok();

        Assert.Empty(result["missing"]!.AsArray());
        Assert.Equal(0, result["duplicates"]!.GetValue<int>());
    }

    [Fact]
    public async Task Generate_data_key_and_decrypt_it()
    {
        var result = (await cairn.Boto3("""
            key_id = kms.create_key()["KeyMetadata"]["KeyId"]
            data_key = kms.generate_data_key(KeyId=key_id, NumberOfBytes=48, EncryptionContext={"purpose": "test"})
            back = kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"], EncryptionContext={"purpose": "test"})["Plaintext"]
            print(json.dumps({"length": len(data_key["Plaintext"]), "same": back == data_key["Plaintext"]}))
            """)).Ok();

        Assert.Equal(48, result["length"]!.GetValue<int>());
        Assert.True(result["same"]!.GetValue<bool>());
    }
}
