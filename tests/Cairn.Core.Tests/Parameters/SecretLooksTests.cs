using Cairn.Core.Parameters.Hygiene;

namespace Cairn.Core.Tests.Parameters;

public sealed class SecretLooksTests
{
    [Theory]
    [InlineData("deploy_key_id", "AKIAIOSFODNN7EXAMPLE", "AWS access key")]
    [InlineData("gh", "ghp_0123456789abcdefghijABCDEFGHIJ0123456789", "GitHub token")]
    [InlineData("tls", "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----", "private key")]
    [InlineData("db_url", "postgres://app:hunter22@db.internal:5432/app", "URL with a password")]
    public void A_known_credential_format_is_a_strong_sign_whatever_the_name(string name, string value, string format)
    {
        var look = SecretLooks.Inspect(name, value);

        Assert.NotNull(look);
        Assert.True(look.Strong);
        Assert.Contains(format, look.Evidence, StringComparison.Ordinal);
        Assert.DoesNotContain(value, look.Evidence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my_app_Docker_credentials_password", "your-password", "password")]
    [InlineData("my-app-docker-credentials-username", "docker_username", "credentials")]
    [InlineData("MyAppApiToken", "abc", "token")]
    [InlineData("/prod/stripe/secret", "x", "secret")]
    public void A_secret_word_in_the_name_is_a_likely_sign(string name, string value, string word)
    {
        var look = SecretLooks.Inspect(name, value);

        Assert.NotNull(look);
        Assert.False(look.Strong);
        Assert.Contains($"'{word}'", look.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_high_entropy_value_is_a_likely_sign_without_showing_it()
    {
        const string Value = "q8Zr1vX0pL3mN7bT2wY6sK9dF4hJ5gC0";
        var look = SecretLooks.Inspect("build_setting", Value);

        Assert.NotNull(look);
        Assert.Contains("high entropy", look.Evidence, StringComparison.Ordinal);
        Assert.DoesNotContain(Value, look.Evidence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my_app_Docker_registry_URL", "docker.io")]
    [InlineData("my-app-docker-registry-url", "docker.io")]
    [InlineData("ssh_public_key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample user@host")]
    [InlineData("signing_key_id", "1234abcd-12ab-34cd-56ef-1234567890ab")]
    [InlineData("app_version", "1.4.2")]
    [InlineData("release_notes_url", "https://example.com/releases/2026/11/notes-for-the-big-release")]
    public void Ordinary_configuration_does_not_look_secret(string name, string value) =>
        Assert.Null(SecretLooks.Inspect(name, value));
}
