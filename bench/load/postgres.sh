#!/usr/bin/env bash
# Appeals per second on PostgreSQL: one node, then two nodes on the same database (wrk against each
# node at once, half the connections each, rates summed). Needs a local PostgreSQL with the role
# .ci/run creates (or PG_ADMIN=<admin connection string>). Everything stops itself.
#   bench/load/postgres.sh            # CONNECTIONS=64 DURATION=15s
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
ACCOUNTS=${ACCOUNTS:-20000}
source bench/load/lib.sh
PG_ADMIN=${PG_ADMIN:-Host=127.0.0.1;Database=postgres;Username=otklik;Password=otklik}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
dotnet build src/Otklik.Server -c Release -v q -nologo >/dev/null
db="otklik_t_bench_$(date +%s)"
cs="${PG_ADMIN/Database=postgres/Database=$db}"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
start() { # $1 port
  start_otklik "$1" "$work/n$1" "$work/n$1.log" Limits__RequesterFlood__PerMinute=100000 Limits__RequesterFlood__Burst=100000 Demo__Buyers=$ACCOUNTS ConnectionStrings__Postgres="$cs"
  pids+=("$started")
}
start 5094
high_capacity 5094
run() { ACCOUNTS=$ACCOUNTS KEY=$KEY wrk -t"$2" -c"$3" -d"$DURATION" --latency -s bench/load/appeals.lua "$1" | grep '^RESULT'; }
# Each node is measured once its tiered JIT has settled (lib.sh): with the processors saturated its background
# compiles lag, and after 10 s of load a node was still compiling ≈ 400 methods a second (dotnet-counters).
warm() { DURATION=$4 run "$1" "$2" "$3"; }
warmup_a=$(settle "${pids[0]}" warm http://127.0.0.1:5094 2 "$CONNECTIONS")
one=$(run http://127.0.0.1:5094 2 "$CONNECTIONS")
start 5095
warmup_b=$(settle "${pids[1]}" warm http://127.0.0.1:5095 1 $((CONNECTIONS / 2)))
run http://127.0.0.1:5094 1 $((CONNECTIONS / 2)) >"$work/a" & a=$!
run http://127.0.0.1:5095 1 $((CONNECTIONS / 2)) >"$work/b" & b=$!
wait $a $b
echo "machine: $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); PostgreSQL $(psql --version | awk '{print $3}') on the same machine; wrk -c$CONNECTIONS -d$DURATION after a warm-up until the JIT settled: node A $warmup_a s, node B $warmup_b s"
echo "one node  : $one"
echo "two nodes : node A $(cat "$work/a")"
echo "            node B $(cat "$work/b")"
echo "two nodes : total $(awk -v a="$(field rps "$(cat "$work/a")")" -v b="$(field rps "$(cat "$work/b")")" 'BEGIN { printf "%.1f", a + b }') appeals/s"
su postgres -c "psql -qtAc 'drop database if exists \"$db\" with (force)'" >/dev/null 2>&1 || true
