using Otklik.Application.Appeals;
using Otklik.Application.Policy;
using Otklik.Core.Appeals;
using Otklik.Core.Requesters;
using Otklik.Core.Text;

namespace Otklik.Channels.Phone;

/// <summary>
/// Turns a call event into an appeal: the caller's number is the requester (caller ID equal to the
/// verified phone counts as verification), the dialled line decides the role, the IVR gives the problem
/// type and the keyed-in order number, the agent's summary is the text. A call that ended before an
/// agent answered becomes a call-back appeal — stored and decided like any other, never lost.
/// The call id is the idempotency key.
/// </summary>
public sealed class PhoneCallInbound(AppealIntake intake, PolicyProvider policies, TimeProvider time)
{
    public const string ClientName = "phone";

    public sealed record Result(IntakeResult? Intake, IReadOnlyDictionary<string, string[]>? Errors);

    public async Task<Result> ReceiveAsync(CallEvent call, string requestHash, JsonText requestJson, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(call.CallId) || call.CallId.Length > 200)
        {
            errors["call_id"] = ["Required, at most 200 characters."];
        }
        if (string.IsNullOrWhiteSpace(call.Caller) || PhoneNumber.Normalize(call.Caller).Count(char.IsAsciiDigit) < 10)
        {
            errors["caller"] = ["Required: the caller's number."];
        }
        var profile = policies.Current.Profile;
        RequesterRole? role = Same(call.Line, profile.BuyerHotline) ? RequesterRole.Buyer : Same(call.Line, profile.SellerHotline) ? RequesterRole.Seller : null;
        if (role is null)
        {
            errors["line"] = [$"Must be one of the hotlines: {profile.BuyerHotline}, {profile.SellerHotline}."];
        }
        var now = time.GetUtcNow();
        var received = call.StartedAt ?? now;
        if (received > now + TimeSpan.FromMinutes(1))
        {
            errors["started_at"] = ["May not lie in the future."];
        }
        if (errors.Count > 0)
        {
            return new Result(null, errors);
        }
        var type = call.Ivr?.ProblemType is { } chosen && policies.Current.FindProblemType(chosen) is { } t && t.Roles.Contains(role!.Value) ? t.Code : "other";
        var answered = call.Answered ?? true;
        var spoken = call.Summary ?? call.Transcript;
        var text = !string.IsNullOrWhiteSpace(spoken)
            ? spoken.Length > AppealRequest.MaxTextLength ? spoken[..AppealRequest.MaxTextLength] : spoken
            : answered
                ? "Звонок на горячую линию завершён без записи разговора; уточните вопрос у клиента."
                : "Пропущенный звонок на горячую линию: клиент не дождался ответа, нужно перезвонить.";
        var order = call.Ivr?.OrderNumber is { Length: > 0 and <= 64 } o ? o.Trim() : null;
        var request = new AppealRequest(Channel.Phone, RequesterAddress.ForIdentity(IdentityKind.Phone, call.Caller!), role!.Value, order, type, null, text, [], ClaimedData.None, received);
        var result = await intake.SubmitAsync(new AppealSubmission(request, ClientName, "call:" + call.CallId, requestHash, requestJson), ct);
        return new Result(result, null);
    }

    private static bool Same(string? dialled, string hotline) =>
        dialled is not null && Digits(dialled) is { Length: > 0 } d && (d == Digits(hotline) || "8" + d[1..] == Digits(hotline) || "7" + d[1..] == Digits(hotline));

    private static string Digits(string s) => new([.. s.Where(char.IsAsciiDigit)]);
}
