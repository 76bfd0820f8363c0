namespace Cairn.Core.Pipelines;

/// <summary>One configuration key of an action type, as ListActionTypes describes it.</summary>
public sealed record ActionConfigurationProperty(string Name, bool Required, string Description, bool Key = false, bool Secret = false, bool Queryable = false);
