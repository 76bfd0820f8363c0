namespace Cairn.Server.Tests.Conventions.Sample.B;

/// <summary>The other half of the deliberate cycle in <see cref="A.First"/>.</summary>
internal sealed class Second
{
    public A.First? Back { get; set; }
}
