namespace Cairn.Storage.Tests.Postgres;

/// <summary>Marks a test class that needs the run's PostgreSQL cluster.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute;
