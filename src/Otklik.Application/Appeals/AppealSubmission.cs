using Otklik.Core.Appeals;

namespace Otklik.Application.Appeals;

/// <summary>An appeal as the intake receives it: the normalised request plus who sent it and under which key.</summary>
/// <param name="RoleGiven">False when the caller left the role to the account (or the default, buyer).</param>
public sealed record AppealSubmission(AppealRequest Request, string ClientName, string IdempotencyKey, string RequestHash, string RequestJson, bool RoleGiven = true);
