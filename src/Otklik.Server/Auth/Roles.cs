namespace Otklik.Server.Auth;

public static class Roles
{
    public const string Integration = "integration";
    public const string Agent = "agent";
    public const string Supervisor = "supervisor";

    public static readonly string[] All = [Integration, Agent, Supervisor];
}
