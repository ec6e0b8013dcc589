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

# field NAME LINE: the value of NAME=value in a RESULT line.
field() { sed -E "s/.*[ ]$1=([0-9.]+).*/\1/" <<<" $2"; }

# Processor time (user + system, clock ticks) of a process or thread from its stat file: fields 14 and 15,
# counted after the command name, which may hold spaces.
cpu_ticks() { sed -E 's/^.*\) //' "$1" | awk '{ print $12 + $13 }'; }

# The tiered JIT's background compiler threads of process $1 and their ticks so far, one "tid ticks" a line.
jit_threads() {
  local task
  for task in /proc/"$1"/task/*; do
    grep -q '^.NET Tiered Com' "$task/comm" 2>/dev/null && echo "${task##*/} $(cpu_ticks "$task/stat")"
  done
  return 0
}

# Ticks the JIT's compiler threads spent between two jit_threads listings: the runtime ends its compiler thread
# when idle and starts another, so a thread is counted from its first listing (or from its start if new).
jit_ticks_between() { awk 'FILENAME == ARGV[1] { before[$1] = $2; next } { total += $2 - ($1 in before ? before[$1] : 0) } END { print total + 0 }' "$1" "$2"; }

# settle PID CMD...: runs `CMD 5s` (a load against the server PID) in rounds until the server's tiered JIT has
# settled — its compiler threads used at most 2 % of a round — after at least SETTLE_MIN and at most SETTLE_MAX
# seconds (10 and 90); prints the seconds it took and, if it never settled, "(JIT still busy)". Under the benchmarks'
# load the JIT recompiles the hot methods with the profile it gathered for 20–30 s after start (its thread ≈ 3 s of
# processor in a 10-s window at first), and a run measured then counts the JIT, not the steady state.
settle() {
  local pid=$1 spent=0 jit before after
  shift
  before=$(mktemp); after=$(mktemp)
  while :; do
    jit_threads "$pid" >"$before"
    "$@" 5s >/dev/null
    jit_threads "$pid" >"$after"
    jit=$(jit_ticks_between "$before" "$after")
    spent=$((spent + 5))
    if (( spent >= ${SETTLE_MIN:-10} && jit * 1000 / $(getconf CLK_TCK) <= 100 )); then break; fi
    if (( spent >= ${SETTLE_MAX:-90} )); then spent="$spent (JIT still busy)"; break; fi
  done
  rm -f "$before" "$after"
  echo "$spent"
}

# The machine's counters from /proc/stat (total, idle + iowait, steal), and the shares of a window between two readings:
# how idle the cores were, and how much the hypervisor gave to other guests (a VM's pace moving between runs).
machine_ticks() { awk '/^cpu / { print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6, $9 }' /proc/stat; }
machine_share() {
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[1] - x[1]; if (t < 1) t = 1;
    printf "machine_idle_pct=%.0f steal_pct=%.1f", 100 * (y[2] - x[2]) / t, 100 * (y[3] - x[3]) / t }'
}
