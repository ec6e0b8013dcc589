namespace Otklik.Core.Orders;

public enum OrderStatus
{
    Created,
    Paid,
    Shipped,
    Delivered,
    Cancelled,
    Returned,
}
