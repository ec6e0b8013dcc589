using System.Security.Claims;

namespace Otklik.Server.Ui.Portal;

/// <summary>The customer signed in to the portal (cookie scheme <see cref="Scheme"/>).</summary>
public static class PortalUser
{
    public const string Scheme = "Portal";
    public const string Policy = "portal_customer";
    public const string AccountClaim = "otklik:account";

    public static string AccountId(ClaimsPrincipal user) =>
        user.FindFirstValue(AccountClaim) ?? throw new InvalidOperationException("Not a portal customer.");
}
