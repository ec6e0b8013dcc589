using Otklik.Core.Appeals;
using Otklik.Core.Text;

namespace Otklik.Application.Appeals;

/// <summary>An appeal as the intake receives it: the normalised request plus who sent it and under which key.</summary>
/// <param name="RoleGiven">False when the caller left the role to the account (or the default, buyer).</param>
/// <param name="SenderAuthenticated">
/// False when the channel cannot vouch that the address is really the sender's (an e-mail From without
/// a DKIM/SPF/DMARC pass): the address still finds the account, but does not count as verified.
/// </param>
public sealed record AppealSubmission(AppealRequest Request, string ClientName, string IdempotencyKey, string RequestHash, JsonText RequestJson, bool RoleGiven = true, bool SenderAuthenticated = true);
