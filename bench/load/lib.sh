# Shared by the load scripts (sourced): an Otklik node in Release with the bench's API keys.
KEY=bench-integration-key-0001
SUP_KEY=bench-supervisor-key-001

wait_for() { for _ in $(seq 1 240); do curl -sf "$1" >/dev/null && return 0; sleep 0.5; done; echo "server at $1 did not start" >&2; return 1; }

# start_otklik PORT DATA_DIR LOG [NAME=value ...] — starts a demo node with the extra settings, sets $started to its pid, waits until ready.
start_otklik() {
  local port=$1 dir=$2 log=$3
  shift 3
  env Auth__ApiKeys__0__Name=bench Auth__ApiKeys__0__Key=$KEY Auth__ApiKeys__0__Role=integration \
    Auth__ApiKeys__1__Name=bench-sup Auth__ApiKeys__1__Key=$SUP_KEY Auth__ApiKeys__1__Role=supervisor \
    Limits__ClientRequestsPerSecond=10000000 Logging__LogLevel__Default=Warning "$@" \
    dotnet src/Otklik.Server/bin/Release/net10.0/Otklik.Server.dll --demo --data-dir "$dir" --urls "http://127.0.0.1:$port" >"$log" 2>&1 &
  started=$!
  wait_for "http://127.0.0.1:$port/health/ready"
}

# Capacity reported so high that the load rule never defers: the benchmarks measure intake, not the queue.
high_capacity() {
  curl -sf -X PUT "http://127.0.0.1:$1/api/v1/capacity" -H "Authorization: Bearer $SUP_KEY" -H 'Content-Type: application/json' -d '{"agents_online":100000,"avg_handle_minutes":10}' >/dev/null
}
