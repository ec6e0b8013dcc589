namespace Otklik.Core.Appeals;

public enum ReasonCode
{
    BlockedRequester,
    SpamSuspected,
    VerificationRequired,
    VerificationFailed,
    AccountInactive,
    NoOrderHistory,
    AccountNew,
    TooVague,
    OrderRequired,
    OrderNotFound,
    OrderNotOwned,
    OrderNotEligible,
    DataMismatch,
    EvidenceRequired,
    DuplicateOpen,
    RepeatOfResolved,
    RateLimited,
    HighLoad,
}
