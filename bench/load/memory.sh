#!/usr/bin/env bash
# Server memory with a million tickets in the embedded store: a demo desk files one appeal, the
# ticket is copied a million times (SQLite, 95 % closed, 5 % open with their clocks in the future),
# the server starts again on that store, serves appeals, queues, tickets, the dashboard and runs its
# timers, and its resident set size is read from /proc. Needs sqlite3 (Debian's package).
#   bench/load/memory.sh            # TICKETS=1000000
set -euo pipefail
cd "$(dirname "$0")/../.."
TICKETS=${TICKETS:-1000000}
command -v sqlite3 >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3; }
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
dotnet build src/Otklik.Server -c Release -v q -nologo >/dev/null
source bench/load/lib.sh
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
start() {
  start_otklik 5096 "$work" "$work/server.log" Limits__RequesterFlood__PerMinute=100000 Limits__RequesterFlood__Burst=100000
  pid=$started
}
start
INT=$KEY; AGENT=$SUP_KEY; SUP=$SUP_KEY   # a supervisor reads what agents read
curl -sf -X POST http://127.0.0.1:5096/api/v1/appeals -H "Authorization: Bearer $INT" -H 'Content-Type: application/json' -H "Idempotency-Key: mem-1" \
  -d '{"channel":"app","requester":{"account_id":"a-1001"},"problem_type":"payment_issue","text":"Списали деньги дважды за один заказ"}' >/dev/null
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
cols=$(sqlite3 "$work/otklik.db" "select group_concat(name, ',') from pragma_table_info('tickets') where name not in ('Seq','TicketId','RequesterKey','Status','AccountId')")
sqlite3 "$work/otklik.db" <<SQL
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < $TICKETS)
INSERT INTO tickets (TicketId, RequesterKey, AccountId, Status, $cols)
SELECT 't_bulk' || x, 'account:bulk-' || (x % 200000), 'bulk-' || (x % 200000), CASE WHEN x % 20 = 0 THEN 'open' ELSE 'closed' END, $cols
FROM n, (SELECT * FROM tickets LIMIT 1);
SQL
echo "tickets in the store: $(sqlite3 "$work/otklik.db" 'select count(*) from tickets')"
start
cat > "$work/appeal.lua" <<LUA
counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"channel":"app","requester":{"account_id":"a-%d"},"problem_type":"other","text":"Вопрос %d о бонусах и доставке"}', 2000 + counter % 300, counter)
  return wrk.format("POST", "/api/v1/appeals", { ["Authorization"] = "Bearer $INT", ["Content-Type"] = "application/json", ["Idempotency-Key"] = "m" .. counter .. "-" .. math.random(1e9) }, body)
end
LUA
wrk -t2 -c16 -d20s -s "$work/appeal.lua" http://127.0.0.1:5096 >/dev/null
for path in "/api/v1/tickets?queue=buyers&limit=100" "/api/v1/tickets?account_id=bulk-7" "/api/v1/sla/at-risk" "/api/v1/load"; do
  curl -sf "http://127.0.0.1:5096$path" -H "Authorization: Bearer $AGENT" >/dev/null || echo "GET $path failed"
done
curl -sf "http://127.0.0.1:5096/api/v1/dashboard?range=30d" -H "Authorization: Bearer $SUP" >/dev/null || echo "dashboard failed"
sleep 35   # the SLA sweeper, the outbox and the deferred queue run on their timers over the whole store
echo "machine: $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); $TICKETS tickets; after 20 s of appeals, queue, ticket, SLA and dashboard reads and 35 s of timers"
grep -E '^(VmRSS|VmHWM)' /proc/$pid/status
