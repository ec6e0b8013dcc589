using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;
using Otklik.Data;

namespace Otklik.Application.Demo;

/// <summary>
/// A demo marketplace for <c>--demo</c>: a few hundred buyers and sellers with Russian names, orders in
/// every status, linked identities, and hand-picked accounts on which each gate rule can be seen firing.
/// Deterministic (fixed seed), dated relative to now.
/// </summary>
public sealed class DemoMarketplace(OtklikDbContext db, TimeProvider time)
{
    public const int Buyers = 300;
    public const int Sellers = 40;

    private static readonly string[] s_maleFirst = ["Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Иван", "Михаил", "Никита", "Егор", "Павел", "Артём", "Илья", "Роман", "Олег", "Виктор"];
    private static readonly string[] s_femaleFirst = ["Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Екатерина", "Светлана", "Юлия", "Анастасия", "Дарья", "Ксения", "Полина", "Вера", "Алина"];
    private static readonly string[] s_surnames = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров"];
    private static readonly string[] s_goods = ["Чайник электрический", "Смартфон", "Наушники беспроводные", "Кроссовки", "Пылесос", "Книга", "Футболка", "Куртка зимняя", "Кофемашина", "Детский конструктор", "Сковорода", "Рюкзак", "Умные часы", "Настольная лампа", "Фен"];
    private static readonly OrderStatus[] s_statuses = Enum.GetValues<OrderStatus>();

    public sealed record Summary(int Accounts, int Orders, int Identities);

    /// <summary>Fills an empty store; a store with any account is left alone.</summary>
    public async Task<Summary?> SeedIfEmptyAsync(CancellationToken ct, int buyers = Buyers, int sellers = Sellers)
    {
        if (await db.Requesters.AnyAsync(ct))
        {
            return null;
        }
        var now = time.GetUtcNow();
        var rnd = new Random(20261125);
        var accounts = new List<Requester>();
        var orders = new List<Order>();
        var identities = new List<Identity>();

        AddShowcase(now, accounts, orders, identities);

        for (var i = 0; i < buyers + sellers; i++)
        {
            var seller = i >= buyers;
            var id = seller ? $"s-{3000 + i - buyers}" : $"a-{2000 + i}";
            var female = rnd.Next(2) == 0;
            var name = female ? $"{Pick(rnd, s_femaleFirst)} {Pick(rnd, s_surnames)}а" : $"{Pick(rnd, s_maleFirst)} {Pick(rnd, s_surnames)}";
            if (seller)
            {
                name = $"ИП {name}";
            }
            var ageDays = rnd.Next(0, 6) == 0 ? rnd.Next(0, 3) : rnd.Next(30, 2000);
            var created = now.AddDays(-ageDays).AddMinutes(-rnd.Next(0, 1440));
            var inactive = ageDays > 500 && rnd.Next(8) == 0;
            var lastActive = inactive ? now.AddDays(-rnd.Next(380, 700)) : now.AddHours(-rnd.Next(1, Math.Max(2, Math.Min(ageDays, 60) * 24)));
            var phone = $"+7{(seller ? 925 : 916)}{rnd.Next(1000000, 9999999)}";
            var account = new Requester
            {
                AccountId = id,
                Role = seller ? RequesterRole.Seller : RequesterRole.Buyer,
                CreatedAt = created,
                LastActiveAt = lastActive < created ? created : lastActive,
                Name = name,
                Phone = phone,
                PhoneVerified = rnd.Next(10) != 0,
                Email = $"{Translit(id)}@example.ru",
                EmailVerified = rnd.Next(2) == 0,
                Blocked = rnd.Next(60) == 0,
                UpdatedAt = now,
            };
            accounts.Add(account);
            if (rnd.Next(3) == 0)
            {
                identities.Add(new Identity { Kind = IdentityKind.Telegram, Value = (100000000 + i * 7919).ToString(CultureInfo.InvariantCulture), AccountId = id, Verified = true, UpdatedAt = now });
            }
            if (rnd.Next(4) == 0)
            {
                identities.Add(new Identity { Kind = IdentityKind.Vk, Value = (500000 + i * 131).ToString(CultureInfo.InvariantCulture), AccountId = id, Verified = rnd.Next(3) != 0, UpdatedAt = now });
            }
            var orderCount = seller || ageDays < 3 ? 0 : rnd.Next(0, 7);
            for (var k = 0; k < orderCount; k++)
            {
                var status = s_statuses[rnd.Next(s_statuses.Length)];
                var placed = now.AddDays(-rnd.Next(1, Math.Min(ageDays, 400))).AddMinutes(-rnd.Next(1440));
                orders.Add(MakeOrder($"{rnd.Next(10000000, 99999999)}-{rnd.Next(1, 9999):D4}", id, status, placed, rnd, now));
            }
        }

        db.Requesters.AddRange(accounts);
        db.Orders.AddRange(orders.GroupBy(o => o.Number).Select(g => g.First()));
        db.Identities.AddRange(identities);
        await db.SaveChangesAsync(ct);
        return new Summary(accounts.Count, orders.Count, identities.Count);
    }

    /// <summary>Named accounts for the README and the examples: each shows one rule.</summary>
    private static void AddShowcase(DateTimeOffset now, List<Requester> accounts, List<Order> orders, List<Identity> identities)
    {
        Requester Account(string id, string name, string phone, int ageDays, int idleDays, bool phoneVerified = true, bool blocked = false, RequesterRole role = RequesterRole.Buyer) => new()
        {
            AccountId = id,
            Role = role,
            Name = name,
            Phone = phone,
            PhoneVerified = phoneVerified,
            Email = $"{id}@example.ru",
            EmailVerified = true,
            CreatedAt = now.AddDays(-ageDays),
            LastActiveAt = now.AddDays(-idleDays),
            Blocked = blocked,
            UpdatedAt = now,
        };
        // a-1001: a regular verified buyer with orders in every status.
        accounts.Add(Account("a-1001", "Анна Петрова", "+79161234567", 320, 1));
        var anna = "a-1001";
        orders.Add(Fixed("38211574-0012", anna, OrderStatus.Delivered, now.AddDays(-9), now.AddDays(-8), now.AddDays(-5), 4990m, "Чайник электрический"));
        orders.Add(Fixed("38211574-0013", anna, OrderStatus.Shipped, now.AddDays(-6), now.AddDays(-4), null, 12990m, "Наушники беспроводные"));
        orders.Add(Fixed("38211574-0014", anna, OrderStatus.Paid, now.AddDays(-2), null, null, 2490m, "Книга"));
        orders.Add(Fixed("38211574-0015", anna, OrderStatus.Cancelled, now.AddDays(-20), null, null, 7990m, "Кроссовки"));
        orders.Add(Fixed("38211574-0016", anna, OrderStatus.Delivered, now.AddDays(-80), now.AddDays(-78), now.AddDays(-75), 15990m, "Пылесос"));
        orders.Add(Fixed("38211574-0017", anna, OrderStatus.Returned, now.AddDays(-30), now.AddDays(-29), now.AddDays(-27), 3490m, "Футболка"));
        orders.Add(Fixed("38211574-0018", anna, OrderStatus.Created, now.AddHours(-3), null, null, 990m, "Сковорода"));
        identities.Add(new Identity { Kind = IdentityKind.Telegram, Value = "777000111", AccountId = anna, Verified = true, UpdatedAt = now });
        identities.Add(new Identity { Kind = IdentityKind.Email, Value = "anna@example.ru", AccountId = anna, Verified = true, UpdatedAt = now });

        // a-1002: brand new, no orders (rule 5). a-1003: silent for 400 days (rule 4). a-1004: blocked (rule 1).
        accounts.Add(Account("a-1002", "Игорь Новиков", "+79160000002", 1, 0));
        accounts.Add(Account("a-1003", "Вера Орлова", "+79160000003", 1500, 400));
        orders.Add(Fixed("38211574-0031", "a-1003", OrderStatus.Delivered, now.AddDays(-420), now.AddDays(-418), now.AddDays(-415), 2990m, "Настольная лампа"));
        accounts.Add(Account("a-1004", "Олег Волков", "+79160000004", 700, 2, blocked: true));
        // a-1005: phone not verified; its VK id is linked but unconfirmed (rule 3).
        accounts.Add(Account("a-1005", "Дарья Лебедева", "+79160000005", 200, 3, phoneVerified: false));
        orders.Add(Fixed("38211574-0051", "a-1005", OrderStatus.Delivered, now.AddDays(-4), now.AddDays(-3), now.AddDays(-2), 5490m, "Фен"));
        identities.Add(new Identity { Kind = IdentityKind.Vk, Value = "5550005", AccountId = "a-1005", Verified = false, UpdatedAt = now });
        // s-2001: a seller.
        accounts.Add(Account("s-2001", "ООО «Чайный дом»", "+79250000001", 900, 1, role: RequesterRole.Seller));
    }

    private static Order Fixed(string number, string accountId, OrderStatus status, DateTimeOffset created, DateTimeOffset? shipped, DateTimeOffset? delivered, decimal price, string title) => new()
    {
        Number = number,
        AccountId = accountId,
        Status = status,
        CreatedAt = created,
        ShippedAt = shipped,
        DeliveredAt = delivered,
        PriceRub = price,
        ReturnRulesGiven = true,
        ItemsJson = $$"""[{"sku":"{{number[^4..]}}","title":"{{title}}","qty":1,"price_rub":{{price.ToString(CultureInfo.InvariantCulture)}}}]""",
        UpdatedAt = created,
    };

    private static Order MakeOrder(string number, string accountId, OrderStatus status, DateTimeOffset placed, Random rnd, DateTimeOffset now)
    {
        var shipped = status is OrderStatus.Shipped or OrderStatus.Delivered or OrderStatus.Returned ? placed.AddDays(1) : (DateTimeOffset?)null;
        var delivered = status is OrderStatus.Delivered or OrderStatus.Returned ? placed.AddDays(rnd.Next(2, 6)) : (DateTimeOffset?)null;
        if (delivered > now)
        {
            delivered = now;
        }
        var price = Math.Round((decimal)(rnd.NextDouble() * 30000 + 200), 0);
        return Fixed(number, accountId, status, placed, shipped, delivered, price, Pick(rnd, s_goods));
    }

    private static string Pick(Random rnd, string[] items) => items[rnd.Next(items.Length)];

    private static string Translit(string id) => id.Replace("-", ".", StringComparison.Ordinal);
}
