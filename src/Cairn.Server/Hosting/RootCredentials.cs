using System.Security.Cryptography;
using System.Text;

namespace Cairn.Server.Hosting;

/// <summary>The account root user's access key: from the environment, or generated once and kept in &lt;data&gt;/credentials.</summary>
public sealed record RootCredentials(string AccessKeyId, string SecretAccessKey, string? CredentialsFile)
{
    public const string ProfileName = "cairn";

    public static RootCredentials LoadOrCreate(CairnServerOptions options)
    {
        if (options.RootAccessKeyId is not null && options.RootSecretAccessKey is not null)
        {
            return new RootCredentials(options.RootAccessKeyId, options.RootSecretAccessKey, null);
        }

        var file = System.IO.Path.Combine(options.DataDirectory, "credentials");
        if (File.Exists(file))
        {
            var parsed = Parse(File.ReadAllLines(file));
            if (parsed is not null)
            {
                return parsed with { CredentialsFile = file };
            }

            throw new InvalidOperationException($"{file} has no [{ProfileName}] profile with aws_access_key_id and aws_secret_access_key; fix or delete it.");
        }

        var created = new RootCredentials("AKIA" + RandomUpper(16), RandomSecret(), file);
        SecureFile.WriteAllText(file,
            $"[{ProfileName}]\naws_access_key_id = {created.AccessKeyId}\naws_secret_access_key = {created.SecretAccessKey}\n");
        return created;
    }

    private static RootCredentials? Parse(string[] lines)
    {
        string? id = null, secret = null;
        var inProfile = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                inProfile = line == $"[{ProfileName}]";
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (!inProfile || eq < 0)
            {
                continue;
            }

            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            if (key == "aws_access_key_id")
            {
                id = value;
            }
            else if (key == "aws_secret_access_key")
            {
                secret = value;
            }
        }

        return id is null || secret is null ? null : new RootCredentials(id, secret, null);
    }

    private static string RandomUpper(int length)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]);
        }

        return builder.ToString();
    }

    private static string RandomSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', 'x').Replace('/', 'y');
}
