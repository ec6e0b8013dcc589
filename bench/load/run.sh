#!/usr/bin/env bash
# HTTP load benchmark: appeals per second through Otklik on the SQLite default, and — in the same
# run, same machine, same wrk settings — through a bare endpoint that parses the body and inserts
# one row into SQLite. Prints both and their ratio. Everything runs on 127.0.0.1 and stops itself.
#   bench/load/run.sh                 # 64 connections, 15 s each
#   CONNECTIONS=16 DURATION=30s bench/load/run.sh
# Each result line also gives the processor time the server spent per request (all its threads, user +
# system), the part of it the tiered JIT still compiled, and how idle the machine was meanwhile; Otklik's,
# how busy its store's single writer was and how many appeals went into one transaction. Each server is measured
# once its tiered JIT has settled (lib.sh's settle: 20–40 s under this load for Otklik), not while it recompiles.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
ACCOUNTS=${ACCOUNTS:-20000}
source bench/load/lib.sh
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

dotnet build src/Otklik.Server -c Release -v q -nologo >/dev/null
dotnet build bench/Otklik.BareInsert -c Release -v q -nologo >/dev/null
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# Otklik, embedded default, demo marketplace with $ACCOUNTS buyers, capacity high so the load rule stays quiet.
start_otklik 5091 "$work/otklik" "$work/otklik.log" Demo__Buyers=$ACCOUNTS
pids+=("$started")
otklik_pid=$started
high_capacity 5091

dotnet bench/Otklik.BareInsert/bin/Release/net10.0/Otklik.BareInsert.dll --data-dir "$work" --urls http://127.0.0.1:5092 >"$work/bare.log" 2>&1 &
bare_pid=$!
pids+=("$bare_pid")
for _ in $(seq 1 60); do curl -s -o /dev/null http://127.0.0.1:5092/ && break; sleep 0.5; done

run() { ACCOUNTS=$ACCOUNTS KEY=$KEY wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/load/appeals.lua "$1" | grep '^RESULT'; }
# measured PID URL: one measured run, with the processor time the server spent on it (user + system, all
# threads) per request, and how much of that was the tiered JIT's background compiler still at work.
measured() {
  local pid=$1 hz t0 t1 m0 m1 result n
  hz=$(getconf CLK_TCK)
  m0=$(machine_ticks); t0=$(cpu_ticks "/proc/$pid/stat"); jit_threads "$pid" >"$work/jit0"
  result=$(run "$2")
  t1=$(cpu_ticks "/proc/$pid/stat"); jit_threads "$pid" >"$work/jit1"; m1=$(machine_ticks)
  n=$(field requests "$result")
  echo "$result server_cpu_us=$(( (t1 - t0) * 1000000 / hz / (n > 0 ? n : 1) )) jit_cpu_ms=$(( $(jit_ticks_between "$work/jit0" "$work/jit1") * 1000 / hz )) $(machine_share "$m0" "$m1")"
}
# Warm both (tiered JIT, connection pools, SQLite page cache) until their JIT has settled, then measure.
warm() { DURATION=$2 run "$1"; }
bare_warmup=$(settle "$bare_pid" warm http://127.0.0.1:5092)
otklik_warmup=$(settle "$otklik_pid" warm http://127.0.0.1:5091)
bare=$(measured "$bare_pid" http://127.0.0.1:5092)
# Otklik's single writer over its measured run: the share of the wall clock it was busy, and appeals a transaction.
writer() { curl -s http://127.0.0.1:5091/metrics | awk '/^otklik_writer_busy / {b=$2} /^otklik_writer_jobs / {j=$2} /^otklik_writer_batches / {n=$2} END {print b+0, j+0, n+0}'; }
w0=$(writer); s0=$(date +%s.%N)
otklik=$(measured "$otklik_pid" http://127.0.0.1:5091)
w1=$(writer); s1=$(date +%s.%N)
otklik="$otklik $(awk -v a="$w0" -v b="$w1" -v t0="$s0" -v t1="$s1" 'BEGIN { split(a, x, " "); split(b, y, " "); n = y[3] - x[3]; if (n < 1) n = 1;
  printf "writer_busy_pct=%.0f appeals_per_commit=%.1f", 100 * (y[1] - x[1]) / (t1 - t0), (y[2] - x[2]) / n }')"
outcomes=$(sqlite3 "$work/otklik/otklik.db" "select Outcome, count(*) from appeals group by Outcome order by 2 desc;" 2>/dev/null | tr '\n' ' ' || true)

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(date -u +%Y-%m-%dT%H:%MZ); wrk -t$THREADS -c$CONNECTIONS -d$DURATION after a warm-up until the JIT settled: bare $bare_warmup s, otklik $otklik_warmup s"
echo "bare insert : $bare"
echo "otklik      : $otklik"
echo "ratio       : $(awk -v a="$(field rps "$otklik")" -v b="$(field rps "$bare")" 'BEGIN { printf "%.1f %%", 100 * a / b }') of the bare endpoint"
echo "outcomes    : $outcomes"
