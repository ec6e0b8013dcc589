namespace Otklik.Core.Requesters;

public enum RequesterRole
{
    Buyer,
    Seller,
}
