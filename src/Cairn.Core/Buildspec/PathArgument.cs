namespace Cairn.Core.Buildspec;

/// <summary>
/// A relative path a command needs to exist: <see cref="Tool"/> says which argument it is ("pip install -r", "docker
/// build context", ...); <see cref="Target"/> is where it goes (its Path null when it cannot be known from the text).
/// A <c>cd</c> has <see cref="IsCd"/>: it moves the working directory for what follows.
/// </summary>
internal sealed record PathArgument(string Tool, CdTarget Target, bool MustBeDirectory, bool IsCd);
