using System.Text;
using Cairn.Application.Keys;
using Cairn.Core.Errors;
using Cairn.Core.Keys;

namespace Cairn.Server.Tests.Kms;

/// <summary>The key ring as the Parameter Store uses it: IKeyService, no authorization.</summary>
public sealed class KeyRingTests : IDisposable
{
    private static readonly KeyScope Scope = new(KmsTestHost.Account, KmsTestHost.Region);
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("registry-password-0f3a");
    private static readonly Dictionary<string, string> Context = new() { ["PARAMETER_ARN"] = "arn:aws:ssm:us-east-1:111122223333:parameter/app/pw" };

    private readonly KmsTestHost _host = new();

    private IKeyService Keys => _host.Keys;

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Encrypt_under_alias_aws_ssm_creates_the_AWS_managed_key_on_first_use_and_decrypts()
    {
        var blob = await Keys.EncryptAsync(Scope, AwsManagedKeys.SsmAlias, Secret, Context, CancellationToken.None);

        var result = await Keys.DecryptAsync(Scope, blob, Context, CancellationToken.None);

        Assert.Equal(Secret, result.Plaintext);
        Assert.True(result.Key.IsAwsManaged);
        Assert.True(result.Key.Enabled);
        Assert.Equal($"arn:aws:kms:us-east-1:111122223333:key/{result.Key.KeyId}", result.Key.Arn);
    }

    [Fact]
    public async Task Concurrent_first_uses_of_alias_aws_ssm_create_exactly_one_key()
    {
        var blobs = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(() =>
            Keys.EncryptAsync(Scope, AwsManagedKeys.SsmAlias, Secret, Context, CancellationToken.None))));

        var keyIds = blobs.Select(b => CiphertextBlob.ReadKeyId(b)).Distinct().ToList();
        Assert.Single(keyIds);
        Assert.Single(await _host.Store.ListKeysAsync(Scope, null, 100, CancellationToken.None));
    }

    [Fact]
    public async Task Each_account_and_region_gets_its_own_aws_ssm_key()
    {
        var east = await Keys.FindKeyAsync(Scope, AwsManagedKeys.SsmAlias, CancellationToken.None);
        var west = await Keys.FindKeyAsync(Scope with { Region = "eu-west-1" }, AwsManagedKeys.SsmAlias, CancellationToken.None);
        var other = await Keys.FindKeyAsync(Scope with { AccountId = "444455556666" }, AwsManagedKeys.SsmAlias, CancellationToken.None);

        Assert.Equal(3, new[] { east!.KeyId, west!.KeyId, other!.KeyId }.Distinct().Count());
        Assert.Equal(east.KeyId, (await Keys.FindKeyAsync(Scope, "arn:aws:kms:us-east-1:111122223333:alias/aws/ssm", CancellationToken.None))!.KeyId);
    }

    [Theory]
    [InlineData("1234abcd-12ab-34cd-56ef-1234567890ab")]
    [InlineData("alias/missing")]
    [InlineData("not-a-key-id")]
    [InlineData("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")]
    public async Task Find_key_returns_null_for_a_key_that_does_not_exist(string keyId)
    {
        Assert.Null(await Keys.FindKeyAsync(Scope, keyId, CancellationToken.None));
    }

    [Fact]
    public async Task Find_key_reports_a_disabled_customer_key_as_not_enabled()
    {
        var key = await _host.Keys.CreateKeyAsync(Scope, "app", null, [], KeyRecord.SymmetricDefault, KeyRecord.EncryptDecrypt, CancellationToken.None);
        await _host.Store.SetEnabledAsync(Scope, key.KeyId, false, DateTimeOffset.UtcNow, CancellationToken.None);

        var found = await Keys.FindKeyAsync(Scope, key.Arn, CancellationToken.None);

        Assert.NotNull(found);
        Assert.False(found.Enabled);
        Assert.False(found.IsAwsManaged);
    }

    [Fact]
    public async Task Encrypt_and_decrypt_under_a_disabled_key_throw_DisabledException()
    {
        var key = await _host.Keys.CreateKeyAsync(Scope, "app", null, [], KeyRecord.SymmetricDefault, KeyRecord.EncryptDecrypt, CancellationToken.None);
        var blob = await Keys.EncryptAsync(Scope, key.KeyId, Secret, Context, CancellationToken.None);
        await _host.Store.SetEnabledAsync(Scope, key.KeyId, false, DateTimeOffset.UtcNow, CancellationToken.None);

        var encrypt = await Assert.ThrowsAsync<AwsException>(() => Keys.EncryptAsync(Scope, key.KeyId, Secret, Context, CancellationToken.None));
        var decrypt = await Assert.ThrowsAsync<AwsException>(() => Keys.DecryptAsync(Scope, blob, Context, CancellationToken.None));

        Assert.Equal("DisabledException", encrypt.Code);
        Assert.Equal("DisabledException", decrypt.Code);
    }

    [Fact]
    public async Task Encrypt_under_an_unknown_key_throws_NotFound()
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => Keys.EncryptAsync(Scope, "alias/missing", Secret, Context, CancellationToken.None));

        Assert.Equal("NotFoundException", error.Code);
    }

    [Fact]
    public async Task A_ciphertext_moved_to_another_parameter_does_not_decrypt()
    {
        var blob = await Keys.EncryptAsync(Scope, AwsManagedKeys.SsmAlias, Secret, Context, CancellationToken.None);
        var other = new Dictionary<string, string> { ["PARAMETER_ARN"] = "arn:aws:ssm:us-east-1:111122223333:parameter/app/other" };

        var error = await Assert.ThrowsAsync<AwsException>(() => Keys.DecryptAsync(Scope, blob, other, CancellationToken.None));

        Assert.Equal("InvalidCiphertextException", error.Code);
    }

    [Fact]
    public async Task A_ciphertext_does_not_decrypt_in_another_account()
    {
        var blob = await Keys.EncryptAsync(Scope, AwsManagedKeys.SsmAlias, Secret, Context, CancellationToken.None);

        var error = await Assert.ThrowsAsync<AwsException>(() => Keys.DecryptAsync(Scope with { AccountId = "444455556666" }, blob, Context, CancellationToken.None));

        Assert.Equal("InvalidCiphertextException", error.Code);
    }

    [Fact]
    public async Task Values_larger_than_the_KMS_API_limit_encrypt_for_advanced_parameters()
    {
        var large = new byte[8192];
        Random.Shared.NextBytes(large);

        var blob = await Keys.EncryptAsync(Scope, AwsManagedKeys.SsmAlias, large, Context, CancellationToken.None);

        Assert.Equal(large, (await Keys.DecryptAsync(Scope, blob, Context, CancellationToken.None)).Plaintext);
    }

    [Fact]
    public async Task A_restarted_service_with_the_same_master_key_decrypts_earlier_ciphertexts()
    {
        var blob = await Keys.EncryptAsync(Scope, AwsManagedKeys.SsmAlias, Secret, Context, CancellationToken.None);

        using var restarted = new KeyRing(_host.Store, _host.MasterKey, TimeProvider.System);

        Assert.Equal(Secret, (await restarted.DecryptAsync(Scope, blob, Context, CancellationToken.None)).Plaintext);
    }

    [Fact]
    public async Task A_service_with_another_master_key_cannot_unwrap_the_keys()
    {
        var blob = await Keys.EncryptAsync(Scope, AwsManagedKeys.SsmAlias, Secret, Context, CancellationToken.None);
        using var wrongMaster = MasterKey.Generate();

        using var wrong = new KeyRing(_host.Store, wrongMaster, TimeProvider.System);

        await Assert.ThrowsAsync<MasterKeyMismatchException>(() => wrong.DecryptAsync(Scope, blob, Context, CancellationToken.None));
    }
}
