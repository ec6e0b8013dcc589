namespace Otklik.Core.Policy;

/// <summary>A canned reply with placeholders.</summary>
public sealed record Macro(string Name, string Text);
