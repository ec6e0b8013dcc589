using Otklik.Core.Appeals;
using Otklik.Core.Gate;
using Otklik.Core.Orders;
using Otklik.Core.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Text;
using Otklik.Core.Tickets;

namespace Otklik.Core.Tests.Gate;

/// <summary>A verified buyer with one delivered order, writing a clear text: every rule passes unless a test says otherwise.</summary>
public sealed class GateContextBuilder
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.FromHours(3));

    private GatePolicy _policy = TestPolicy.Default;
    private Requester? _account = new()
    {
        AccountId = "a-1",
        Role = RequesterRole.Buyer,
        CreatedAt = Now.AddDays(-300),
        LastActiveAt = Now.AddDays(-1),
        Name = "Анна Петрова",
        Phone = "+79161234567",
        PhoneVerified = true,
        Email = "anna@example.ru",
    };
    private Identity? _identity;
    private bool _linked = true;
    private bool _verified = true;
    private readonly List<Order> _orders = [Order("100-1", "a-1", OrderStatus.Delivered, Now.AddDays(-5))];
    private Order? _order;
    private bool _orderSet;
    private string? _orderNumber = "100-1";
    private string _problemType = "damaged_item";
    private string _text = "Чайник пришёл с трещиной на корпусе, прошу замену";
    private List<AttachmentInfo> _attachments = [new("photo.jpg", "image/jpeg", 1000)];
    private ClaimedData _claimed = ClaimedData.None;
    private Demand? _demand;
    private RequesterRole _role = RequesterRole.Buyer;
    private int _appealsLastDay;
    private int _sameText;
    private readonly List<Ticket> _tickets = [];
    private double _tokens = double.NaN;
    private DateTimeOffset? _tokensAt;
    private LoadSnapshot _load = LoadSnapshot.Idle;

    public static Order Order(string number, string account, OrderStatus status, DateTimeOffset? delivered = null, bool returnRules = true) => new()
    {
        Number = number,
        AccountId = account,
        Status = status,
        CreatedAt = Now.AddDays(-10),
        DeliveredAt = delivered,
        PriceRub = 1000,
        ReturnRulesGiven = returnRules,
    };

    public static Ticket Ticket(string? order, string type, TicketStatus status, DateTimeOffset? statusAt = null, string text = "Чайник пришёл с трещиной на корпусе, прошу замену")
    {
        var t = new Ticket
        {
            TicketId = "t_" + Guid.NewGuid().ToString("N")[..8],
            RequesterKey = "account:a-1",
            OrderNumber = order,
            ProblemType = type,
            Priority = PriorityClass.P2,
            TextStems = NormalizedText.From(text).StemsJoined,
            CreatedAt = Now.AddDays(-40),
        };
        if (status != TicketStatus.Open)
        {
            t.ChangeStatus(status, statusAt ?? Now.AddDays(-1), (_, _) => 0, (d, _) => d);
        }
        return t;
    }

    public GateContextBuilder Account(Action<Requester> change)
    {
        change(_account!);
        return this;
    }

    public GateContextBuilder Guest()
    {
        _account = null;
        _linked = false;
        _verified = false;
        _orders.Clear();
        _orderNumber = null;
        return this;
    }

    public GateContextBuilder Unverified()
    {
        _verified = false;
        return this;
    }

    public GateContextBuilder Identity(Identity identity)
    {
        _identity = identity;
        return this;
    }

    public GateContextBuilder NoOrders()
    {
        _orders.Clear();
        return this;
    }

    public GateContextBuilder WithOrder(Order order)
    {
        _orders.Insert(0, order);
        _orderNumber = order.Number;
        return this;
    }

    public GateContextBuilder OrderNumber(string? number, Order? found = null)
    {
        _orderNumber = number;
        _order = found;
        _orderSet = true;
        return this;
    }

    public GateContextBuilder Type(string code, bool keepAttachments = true)
    {
        _problemType = code;
        if (!keepAttachments)
        {
            _attachments = [];
        }
        return this;
    }

    public GateContextBuilder Role(RequesterRole role)
    {
        _role = role;
        return this;
    }

    public GateContextBuilder Text(string text)
    {
        _text = text;
        return this;
    }

    public GateContextBuilder Attachments(params AttachmentInfo[] attachments)
    {
        _attachments = [.. attachments];
        return this;
    }

    public GateContextBuilder Claimed(ClaimedData claimed)
    {
        _claimed = claimed;
        return this;
    }

    public GateContextBuilder Demand(Demand demand)
    {
        _demand = demand;
        return this;
    }

    public GateContextBuilder AppealsLastDay(int count)
    {
        _appealsLastDay = count;
        return this;
    }

    public GateContextBuilder SameTextRequesters(int count)
    {
        _sameText = count;
        return this;
    }

    public GateContextBuilder WithTicket(Ticket ticket)
    {
        _tickets.Add(ticket);
        return this;
    }

    public GateContextBuilder Tokens(double tokens, DateTimeOffset at)
    {
        _tokens = tokens;
        _tokensAt = at;
        return this;
    }

    public GateContextBuilder Load(double backlogHours)
    {
        _load = new LoadSnapshot(_policy.LoadLevels.LevelFor(backlogHours), backlogHours, 10, 12, 0);
        return this;
    }

    public GateContextBuilder Policy(Func<GatePolicy, GatePolicy> change)
    {
        _policy = change(_policy);
        return this;
    }

    public GateContext Build()
    {
        var type = _policy.FindProblemType(_problemType) ?? throw new InvalidOperationException(_problemType);
        var order = _orderSet ? _order : _orders.FirstOrDefault(o => o.Number == _orderNumber);
        var request = new AppealRequest(Channel.App, RequesterAddress.ForAccount(_account?.AccountId ?? "guest"), _role, _orderNumber, _problemType, _demand, _text, _attachments, _claimed, Now);
        return new GateContext
        {
            Request = request,
            Policy = _policy,
            ProblemType = type,
            Text = NormalizedText.From(_text),
            Now = Now,
            LocalDate = at => DateOnly.FromDateTime(at.ToOffset(TimeSpan.FromHours(3)).DateTime),
            Account = _account,
            Identity = _identity,
            IdentityLinked = _linked,
            IdentityVerified = _verified,
            RequesterKey = _account is null ? "phone:+70000000000" : "account:" + _account.AccountId,
            Orders = _orders,
            OrderNumber = _orderNumber,
            Order = order,
            AppealsLastDay = _appealsLastDay,
            OldestAppealLastDay = _appealsLastDay > 0 ? Now.AddHours(-20) : null,
            SameTextRequesters = _sameText,
            Tickets = _tickets.ConvertAll(t => t.Facts()),
            RateTokens = _tokens,
            RateUpdatedAt = _tokensAt,
            Load = _load,
        };
    }

    public GateResult Evaluate() => AdmissionGate.CreateDefault().Evaluate(Build());
}
