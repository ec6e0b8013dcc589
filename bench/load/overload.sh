#!/usr/bin/env bash
# Overload benchmark: the server on the SQLite default with a concurrency budget, its capacity found
# with wrk (closed loop), then open-loop load (bench/Otklik.LoadGen, 10 % P1 appeals) at 0.5×, 2×, 5×
# and 10× that capacity. Prints goodput, P1 admission, latency of the admitted and of the shed, the
# cores the server and the generator used at each load, and what one shed request costs the server.
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
  echo "$(grep '^RESULT' "$work/gen.out") server_cores=$(awk -v t=$((s1 - s0)) -v hz="$hz" -v d="$DURATION" 'BEGIN { printf "%.2f", t / hz / d }') generator_cores=$(awk -v ms=$(( $(cat "$work/g1") - $(cat "$work/g0") )) -v d="$DURATION" 'BEGIN { printf "%.2f", ms / 1000 / d }') $(machine_share "$m0" "$m1")"
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
echo "shed cost: $(per_request $((t1 - t0 - jit))) µs of server processor a request ($(per_request $((t1 - t0))) with the JIT's $((jit * 1000 / hz)) ms), $(field errors "$shed") of $requests answered with an error status (the 503s), p50 $(field p50_ms "$shed") ms, p99 $(field p99_ms "$shed") ms at $LIMIT connections; an appeal served: $served_us µs"
