using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Otklik.Server.Auth;

namespace Otklik.Server.Hosting;

/// <summary>Prints how to use a demo server: where it listens, the keys, and a curl that files an appeal.</summary>
public static class DemoBanner
{
    public static void Print(IServer server, ApiKeyStore keys, ServerPaths paths, TextWriter output)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
        address = address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal);
        var integration = keys.ShownKeys.FirstOrDefault(k => k.Role == Roles.Integration)?.Key ?? "<integration key>";
        var agent = keys.ShownKeys.FirstOrDefault(k => k.Role == Roles.Agent)?.Key ?? "<agent key>";
        output.WriteLine($"""

            ── Otklik demo ─────────────────────────────────────────────────────────────
             Listening on {address}    data: {paths.DataDirectory}
             API docs:    {address}/docs        OpenAPI: {address}/openapi/v1.json
             Keys ({keys.Source}):
            {string.Join(Environment.NewLine, keys.ShownKeys.Select(k => $"   {k.Role,-12} {k.Key}"))}
             Demo accounts: a-1001 (Анна Петрова, orders 38211574-0012…0018), a-1002 new, a-1003 inactive,
                            a-1004 blocked, a-1005 unverified phone, s-2001 seller, a-2000…a-2299, s-3000…s-3039.

             File an appeal (damaged kettle, no photo → needs_info / evidence_required):
               curl -s -X POST {address}/api/v1/appeals \
                 -H 'Authorization: Bearer {integration}' -H 'Content-Type: application/json' \
                 -H "Idempotency-Key: $(date +%s%N)" \
                 -d '{"{"}"channel":"app","requester":{"{"}"account_id":"a-1001"{"}"},"role":"buyer","order_number":"38211574-0012","problem_type":"damaged_item","demand":"replacement","text":"Чайник пришёл с трещиной на корпусе, прошу замену"{"}"}'
             Web:  {address}/portal (log in as Анна: phone +7 916 123-45-67, the code is shown on the page)
                   {address}/workspace (agent / otklik-demo, supervisor / otklik-demo)
             Add  ,"attachments":[{"{"}"name":"photo1.jpg","content_type":"image/jpeg","size":182044{"}"}]  to get a ticket; then
               curl -s {address}/api/v1/tickets?queue=buyers -H 'Authorization: Bearer {agent}'
            ────────────────────────────────────────────────────────────────────────────
            """);
    }
}
