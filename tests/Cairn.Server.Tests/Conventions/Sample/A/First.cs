namespace Cairn.Server.Tests.Conventions.Sample.A;

/// <summary>Half of a deliberate cycle (A names B, B names A) for the cycle finder's own test.</summary>
internal sealed class First
{
    public B.Second? Next { get; set; }
}
