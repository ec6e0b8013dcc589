namespace Otklik.Core.Appeals;

public enum RemediationAction
{
    LinkPhone,
    ConfirmIdentity,
    ChooseOrder,
    AddOrderNumber,
    FixField,
    DescribeClearly,
    AttachEvidence,
    TryLater,
    UseChannel,
    AddToTicket,
    RequestReview,
}
