namespace Otklik.Data;

/// <summary>A person who works the queues (role agent or supervisor); logs in to the workspace with a password.</summary>
public sealed class AgentAccount
{
    public const int MaxNameLength = 64;

    public required string Name { get; init; }
    public required string DisplayName { get; set; }
    public required string Role { get; set; }
    public required string PasswordHash { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}
