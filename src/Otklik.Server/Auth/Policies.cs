using Microsoft.AspNetCore.Authorization;

namespace Otklik.Server.Auth;

/// <summary>Authorization policies by role. The role names double as policy names for single-role endpoints.</summary>
public static class Policies
{
    public const string IntegrationOrSupervisor = "integration_or_supervisor";
    public const string AgentOrSupervisor = "agent_or_supervisor";
    public const string AnyRole = "any_role";

    public static void Add(AuthorizationOptions options)
    {
        foreach (var role in Roles.All)
        {
            options.AddPolicy(role, p => p.RequireRole(role));
        }
        options.AddPolicy(IntegrationOrSupervisor, p => p.RequireRole(Roles.Integration, Roles.Supervisor));
        options.AddPolicy(AgentOrSupervisor, p => p.RequireRole(Roles.Agent, Roles.Supervisor));
        options.AddPolicy(AnyRole, p => p.RequireRole(Roles.All));
    }
}
