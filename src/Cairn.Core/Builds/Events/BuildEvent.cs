namespace Cairn.Core.Builds.Events;

/// <summary>
/// Something that happened in a running build, in the order it happened. The executor and the orchestrator emit events
/// into one masked sink, which hands them to its listeners (the log store, the build store, the console, live viewers);
/// nothing learns a build's state by reading its log text. Every text in an event is already masked.
/// </summary>
public abstract record BuildEvent(DateTimeOffset Time);
