namespace Otklik.Server.Ui.Workspace;

/// <summary>An agent or supervisor signed in to the workspace (cookie scheme <see cref="Scheme"/>).</summary>
public static class WorkspaceUser
{
    public const string Scheme = "Workspace";
    public const string Policy = "workspace_agent";
    public const string SupervisorPolicy = "workspace_supervisor";
}
