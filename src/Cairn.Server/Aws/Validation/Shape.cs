namespace Cairn.Server.Aws.Validation;

/// <summary>An input shape of the service model, with the constraints AWS checks before an operation runs.</summary>
internal abstract record Shape;
