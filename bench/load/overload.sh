#!/usr/bin/env bash
# Overload benchmark: the server on the SQLite default with a concurrency budget, its capacity found
# with wrk (closed loop), then open-loop load (bench/Otklik.LoadGen, 10 % P1 appeals) at 0.5×, 2×, 5×
# and 10× that capacity. Prints goodput, P1 admission, latency of the admitted and of the shed, the
# cores the server and the generator used at each load, what one shed request costs the server, and from
# those costs the most goodput the machine's cores allow at each load (whatever the server did).
#   bench/load/overload.sh                        # LIMIT=64 RESERVED=192 DURATION=15
#   CAPACITY=5000 bench/load/overload.sh          # multiples of a given rate instead of the one measured
#                                                 # (for paired runs: the same offered load each time)
set -euo pipefail
cd "$(dirname "$0")/../.."
LIMIT=${LIMIT:-64}
RESERVED=${RESERVED:-$((3 * LIMIT))}
DURATION=${DURATION:-15}
ACCOUNTS=${ACCOUNTS:-20000}
source bench/load/lib.sh
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
dotnet build src/Otklik.Server -c Release -v q -nologo >/dev/null
dotnet build bench/Otklik.LoadGen -c Release -v q -nologo >/dev/null
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
start_otklik 5093 "$work/otklik" "$work/otklik.log" Limits__MaxConcurrentRequests=$LIMIT Limits__ReservedConcurrentRequests=$RESERVED Limits__RequesterFlood__PerMinute=100000 Limits__RequesterFlood__Burst=100000 Demo__Buyers=$ACCOUNTS
pids+=("$started")
high_capacity 5093

hz=$(getconf CLK_TCK)
otklik_pid=$started
# Capacity is the steady state's: measured once the tiered JIT has settled (lib.sh).
warm_capacity() { ACCOUNTS=$ACCOUNTS KEY=$KEY wrk -t2 -c"$LIMIT" -d"$1" -s bench/load/appeals.lua http://127.0.0.1:5093; }
warmup=$(settle "$otklik_pid" warm_capacity)
t0=$(cpu_ticks /proc/$otklik_pid/stat)
measured=$(ACCOUNTS=$ACCOUNTS KEY=$KEY wrk -t2 -c"$LIMIT" -d"${DURATION}s" -s bench/load/appeals.lua http://127.0.0.1:5093 | grep '^RESULT')
t1=$(cpu_ticks /proc/$otklik_pid/stat)
capacity=$(field rps "$measured")
base=${CAPACITY:-$capacity}
served=$(field requests "$measured")
served_us=$(( (t1 - t0) * 1000000 / hz / (served > 0 ? served : 1) ))
echo "machine: $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); concurrency budget $LIMIT (+ $RESERVED in reserve for P1 appeals and reads)"
echo "capacity (wrk closed loop, $LIMIT connections, after $warmup s of warm-up): $capacity appeals/s, $served_us µs of server processor an appeal${CAPACITY:+; multiples of $CAPACITY/s as given}"
# Processor time of this shell's waited-for children so far, in ms: bash's `times` (its second line: user and
# system), run in this shell itself — in a command substitution it would count the subshell's children only.
children_ms() { times >"$work/times"; tail -1 "$work/times" | awk '{ ms = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); ms += p[1] * 60000 + p[2] * 1000 } printf "%.0f", ms }'; }
for k in 0.5 2 5 10; do
  rate=$(awk -v c="$base" -v k="$k" 'BEGIN { printf "%.0f", c * k }')
  printf '%-5s ' "${k}x"
  # The cores each side used over the run: the generator shares the machine, and what it and the shed
  # requests take is what the admitted appeals do not get.
  s0=$(cpu_ticks /proc/$otklik_pid/stat); children_ms >"$work/g0"; m0=$(machine_ticks)
  dotnet bench/Otklik.LoadGen/bin/Release/net10.0/Otklik.LoadGen.dll --url http://127.0.0.1:5093 --key $KEY --rate "$rate" --duration "$DURATION" --accounts "$ACCOUNTS" >"$work/gen.out"
  s1=$(cpu_ticks /proc/$otklik_pid/stat); children_ms >"$work/g1"; m1=$(machine_ticks)
  gen_ms=$(( $(cat "$work/g1") - $(cat "$work/g0") ))
  echo "$k $rate $gen_ms" >>"$work/multiples"
  echo "$(grep '^RESULT' "$work/gen.out") server_cores=$(awk -v t=$((s1 - s0)) -v hz="$hz" -v d="$DURATION" 'BEGIN { printf "%.2f", t / hz / d }') generator_cores=$(awk -v ms="$gen_ms" -v d="$DURATION" 'BEGIN { printf "%.2f", ms / 1000 / d }') $(machine_share "$m0" "$m1")"
done
kill "$otklik_pid" 2>/dev/null || true

# The cost of a shed request end to end (Kestrel, the budget check, the look into the body for P1, the 503):
# a node whose budget is one request, so that nearly every appeal sent is shed, under wrk.
start_otklik 5094 "$work/shed" "$work/shed.log" Limits__MaxConcurrentRequests=1 Limits__ReservedConcurrentRequests=0 Demo__Buyers=$ACCOUNTS
pids+=("$started")
ACCOUNTS=$ACCOUNTS KEY=$KEY wrk -t2 -c"$LIMIT" -d20s -s bench/load/appeals.lua http://127.0.0.1:5094 >/dev/null   # warm-up (the JIT)
# The tiered JIT is still compiling then: the few appeals this node admits reach the intake's methods' call
# counts slowly (an EventPipe trace counted ≈ 6,000 methods compiled 20–35 s after start). Its compiler threads'
# time is counted apart, so that the cost of a refusal is not the JIT's.
t0=$(cpu_ticks /proc/$started/stat); jit_threads "$started" >"$work/shed-jit0"
shed=$(ACCOUNTS=$ACCOUNTS KEY=$KEY wrk -t2 -c"$LIMIT" -d10s --latency -s bench/load/appeals.lua http://127.0.0.1:5094 | grep '^RESULT')
t1=$(cpu_ticks /proc/$started/stat); jit_threads "$started" >"$work/shed-jit1"
jit=$(jit_ticks_between "$work/shed-jit0" "$work/shed-jit1")
requests=$(field requests "$shed")
per_request() { echo $(( $1 * 1000000 / hz / (requests > 0 ? requests : 1) )); }
# The few this node admits (one at a time) are counted at an appeal's cost and taken out: what is left is the refusals'.
refused=$(field errors "$shed")
admitted=$((requests - refused))
shed_us=$(( ((t1 - t0 - jit) * 1000000 / hz - admitted * served_us) / (refused > 0 ? refused : 1) ))
echo "shed cost: $shed_us µs of server processor a refusal ($(per_request $((t1 - t0 - jit))) a request with the $admitted admitted at $served_us µs each, $(per_request $((t1 - t0))) with the JIT's $((jit * 1000 / hz)) ms too), $refused of $requests answered with an error status (the 503s), p50 $(field p50_ms "$shed") ms, p99 $(field p99_ms "$shed") ms at $LIMIT connections; an appeal served: $served_us µs"

# The floor in the same run: a bare ASP.NET Core app that refuses every request at once with the same 503
# (bench/Otklik.BareInsert --refuse true), under the same load — what any answer costs on this machine.
kill "$started" 2>/dev/null || true
dotnet build bench/Otklik.BareInsert -c Release -v q -nologo >/dev/null
dotnet bench/Otklik.BareInsert/bin/Release/net10.0/Otklik.BareInsert.dll --refuse true --urls http://127.0.0.1:5095 >"$work/refuse.log" 2>&1 &
bare_pid=$!
pids+=("$bare_pid")
wait_for_port() { for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.5; done; echo "nothing answers on $1" >&2; return 1; }
wait_for_port 5095
warm_bare() { ACCOUNTS=$ACCOUNTS KEY=$KEY wrk -t2 -c"$LIMIT" -d"$1" -s bench/load/appeals.lua http://127.0.0.1:5095; }
bare_warmup=$(settle "$bare_pid" warm_bare)
b0=$(cpu_ticks /proc/$bare_pid/stat)
bare=$(ACCOUNTS=$ACCOUNTS KEY=$KEY wrk -t2 -c"$LIMIT" -d10s --latency -s bench/load/appeals.lua http://127.0.0.1:5095 | grep '^RESULT')
b1=$(cpu_ticks /proc/$bare_pid/stat)
bare_us=$(( (b1 - b0) * 1000000 / hz / ($(field requests "$bare") > 0 ? $(field requests "$bare") : 1) ))
echo "bare refusal: $bare_us µs of processor a request (ASP.NET Core answering the same 503 at once, after $bare_warmup s of warm-up), p50 $(field p50_ms "$bare") ms, p99 $(field p99_ms "$bare") ms at $LIMIT connections"

# What the cores allow at all, from this run's own costs: the most goodput G when each of the O appeals a second
# offered is either served (a, an appeal's processor) or refused (s, a refusal's), G·a + (O − G)·s = the cores left —
# all of them (a generator that cost nothing), or what the generator did not use. As a share of the capacity: below 90 %
# at 5×, no server with these costs could meet the target on this machine, however it shed.
while read -r k rate gen_ms; do
  awk -v k="$k" -v o="$rate" -v gen="$gen_ms" -v d="$DURATION" -v s="$shed_us" -v a="$served_us" -v n="$(nproc)" -v cap="$capacity" -v base="$bare_us" '
    function most(cores) { g = (cores * 1000000 - s * o) / (a - s); return g < 0 ? 0 : g > o ? o : g }
    BEGIN { free = most(n); beside = most(n - gen / 1000 / d)
      printf "%-5s ceiling: at most %.0f appeals/s served (%.0f %% of the capacity) with a generator that cost nothing, %.0f/s (%.0f %%) beside this one (%.2f core); a refusal %d µs, an appeal %d\n",
        k "x", free, 100 * free / cap, beside, 100 * beside / cap, gen / 1000 / d, s, a
      s = base; free = most(n); beside = most(n - gen / 1000 / d)
      printf "      with refusals at the bare floor (%d µs): at most %.0f/s (%.0f %%) with a generator that cost nothing, %.0f/s (%.0f %%) beside this one\n",
        base, free, 100 * free / cap, beside, 100 * beside / cap }'
done <"$work/multiples"
