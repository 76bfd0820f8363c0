namespace Cairn.Core.Buildspec;

public enum DynamicReferenceKind
{
    /// <summary><c>{{resolve:ssm:name[:version]}}</c>: a String or StringList parameter.</summary>
    Ssm,

    /// <summary><c>{{resolve:ssm-secure:name[:version]}}</c>: a SecureString parameter; its value is a secret.</summary>
    SsmSecure,

    /// <summary><c>{{resolve:secretsmanager:...}}</c>: recognised so it can be reported; Cairn does not resolve it yet.</summary>
    SecretsManager,
}
