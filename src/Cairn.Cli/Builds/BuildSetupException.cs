namespace Cairn.Cli.Builds;

/// <summary>`cairn build` cannot start the build (no credentials, the role cannot be assumed, ...): exit status 2.</summary>
internal sealed class BuildSetupException(string message) : Exception(message);
