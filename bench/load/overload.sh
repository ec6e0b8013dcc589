#!/usr/bin/env bash
# Overload benchmark: the server on the SQLite default with a concurrency budget, its capacity found
# with wrk (closed loop), then open-loop load (bench/Otklik.LoadGen, 10 % P1 appeals) at 0.5×, 2×, 5×
# and 10× that capacity. Prints goodput, P1 admission, latency of the admitted and of the shed.
#   bench/load/overload.sh                        # LIMIT=64 RESERVED=192 DURATION=15
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

ACCOUNTS=$ACCOUNTS KEY=$KEY wrk -t2 -c"$LIMIT" -d10s -s bench/load/appeals.lua http://127.0.0.1:5093 >/dev/null   # warm-up
capacity=$(ACCOUNTS=$ACCOUNTS KEY=$KEY wrk -t2 -c"$LIMIT" -d"${DURATION}s" -s bench/load/appeals.lua http://127.0.0.1:5093 | grep '^RESULT' | sed -E 's/.*rps=([0-9.]+).*/\1/')
echo "machine: $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); concurrency budget $LIMIT (+ $RESERVED in reserve for P1 appeals and reads)"
echo "capacity (wrk closed loop, $LIMIT connections): $capacity appeals/s"
for k in 0.5 2 5 10; do
  rate=$(awk -v c="$capacity" -v k="$k" 'BEGIN { printf "%.0f", c * k }')
  printf '%-5s ' "${k}x"
  dotnet bench/Otklik.LoadGen/bin/Release/net10.0/Otklik.LoadGen.dll --url http://127.0.0.1:5093 --key $KEY --rate "$rate" --duration "$DURATION" --accounts "$ACCOUNTS" | grep '^RESULT'
done
