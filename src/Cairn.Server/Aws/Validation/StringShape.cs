namespace Cairn.Server.Aws.Validation;

/// <param name="Sensitive">AWS leaves a sensitive member's value out of its validation messages.</param>
internal sealed record StringShape(int? Min = null, int? Max = null, string? Pattern = null, IReadOnlyList<string>? Enum = null, bool Sensitive = false) : Shape;
