#!/usr/bin/env bash
# Remote-write out (issue 14): what forwarding costs and how fast it goes, on the Claude Code workload.
#
#   bench/forward.sh [users=100] [days=7]
#
# Three runs, each over a fresh data directory, Tally from its jar with the shipped launcher's JVM flags on free
# loopback ports; the target is `LoadMain sink` (reads each request, answers 204, decodes nothing) in a JVM of its
# own, so only the sender's work is counted in Tally's CPU:
#   1. baseline:   no remote_write. Replay the payloads over remote-write; Tally's CPU seconds for it.
#   2. forwarding: remote_write to the running sink. The same replay; Tally's CPU seconds until the target has
#                  acknowledged every sample; lag and pending samples read from /metrics every second meanwhile.
#   3. catch-up:   remote_write to a sink that is down during the replay, started after it: Tally forwards the whole
#                  backlog from its WAL as fast as it can. Samples/s and CPU seconds per second while it does
#                  (forwarding throughput per core = samples / CPU seconds).
#   4. steady:     the payloads sent at a fixed rate (STEADY_RATE samples/s, default 50,000, for STEADY_SECONDS, default
#                  60) without and then with remote_write to the running sink: Tally's CPU per sample both ways,
#                  pending samples every second, and how long after the last write the target has everything.
# RUNS="baseline forwarding catchup steady" (the default) picks runs.
# Results: bench/results/forward-<users>u-<days>d/*.json, written up by hand in bench/RESULTS-forward.md.
# Processes are stopped by their PIDs.
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-100}
days=${2:-7}
work=${TALLY_BENCH_DIR:-/tmp/tally-forward-bench}
out=bench/results/forward-${users}u-${days}d
mkdir -p "$work" "$out"
[ -f server/target/tally.jar ] && [ -f bench/target/benchmarks.jar ] || mvn -q -DskipTests package
cp server/target/tally.jar "$work/tally.jar"
cp bench/target/benchmarks.jar "$work/benchmarks.jar"
loadgen() { java -Xmx2g -cp "$work/benchmarks.jar" tally.bench.load.LoadMain "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"; }
now() { date +%s.%N; }
sub() { awk -v a="${!1}" -v b="${!2}" 'BEGIN { printf "%.2f", a - b }'; }

payloads="$work/payloads-${users}u-${days}d"
if [ ! -f "$payloads/manifest.json" ]; then
  loadgen generate --workload=claude --users="$users" --days="$days" --formats=remote-write --out="$payloads" >/dev/null
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start_tally() { # $1: run name, $2: prometheus.yml or "", then extra flags; sets web, tally_pid
  web=$(free_port); local otlp; otlp=$(free_port)
  rm -rf "$work/data-$1"
  local cfg=()
  [ -n "$2" ] && cfg=(--config.file="$2")
  cfg+=("${@:3}")
  java -Xmx1g -Xms16m -XX:+UseSerialGC -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:MaxNewSize=64m -XX:SurvivorRatio=3 -XX:MaxDirectMemorySize=256m -XX:+ExitOnOutOfMemoryError \
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
    --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED \
    -Dchronicle.analytics.disable=true -jar "$work/tally.jar" --storage.path="$work/data-$1" \
    --web.listen-address="127.0.0.1:$web" --otlp.listen-address="127.0.0.1:$otlp" --otlp.grpc-listen-address= "${cfg[@]}" \
    > "$out/tally-$1.log" 2>&1 &
  tally_pid=$!
  pids+=("$tally_pid")
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$web/-/ready" >/dev/null && break; sleep 0.5; done
}
stop_tally() { kill "$tally_pid"; wait "$tally_pid" 2>/dev/null || true; }
start_sink() { # $1: port
  java -Xmx256m -cp "$work/benchmarks.jar" tally.bench.load.LoadMain sink --port="$1" > "$out/sink.log" 2>&1 &
  sink_pid=$!
  pids+=("$sink_pid")
  for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$1/" && break; sleep 0.2; done
}
stop_sink() { kill "$sink_pid"; wait "$sink_pid" 2>/dev/null || true; }
metric() { curl -s "http://127.0.0.1:$web/metrics" | awk -v m="$1" 'index($1, m) == 1 { s += $2 } END { printf "%.0f", s }'; }
write_config() { # $1: sink port -> path
  cat > "$work/forward.yml" <<YML
remote_write:
  - url: http://127.0.0.1:$1/api/v1/write
    name: bench
YML
  echo "$work/forward.yml"
}
await_forwarded() { # $1: samples to be acknowledged; waits up to 30 min
  for _ in $(seq 1 18000); do
    [ "$(metric prometheus_remote_storage_samples_total)" -ge "$1" ] && return 0
    sleep 0.1
  done
  echo "forwarding did not finish" >&2; return 1
}

runs=${RUNS:-baseline forwarding catchup steady}
want() { [[ " $runs " == *" $1 "* ]]; }
uptime >> "$out/uptime.txt"

# 1. baseline
if want baseline; then
  start_tally baseline ""
  c0=$(cpu "$tally_pid"); t0=$(now)
  loadgen replay --url="http://127.0.0.1:$web/api/v1/write" --dir="$payloads" --json-out="$out/replay-baseline.json" >/dev/null
  c1=$(cpu "$tally_pid"); t1=$(now)
  samples=$(metric tally_head_samples_appended_total)
  stop_tally
  echo "{\"run\":\"baseline\",\"samples\":$samples,\"cpu_seconds\":$(sub c1 c0),\"wall_seconds\":$(sub t1 t0)}" > "$out/baseline.json"
fi

# 2. forwarding while ingesting
if want forwarding; then
  sink_port=$(free_port)
  start_sink "$sink_port"
  start_tally forwarding "$(write_config "$sink_port")"
  ( while sleep 1; do echo "$(date +%s) $(metric tally_remote_write_lag_seconds) $(metric prometheus_remote_storage_samples_pending)"; done ) \
    > "$out/lag-forwarding.txt" 2>/dev/null &
  sampler=$!
  pids+=("$sampler")
  c0=$(cpu "$tally_pid"); t0=$(now)
  loadgen replay --url="http://127.0.0.1:$web/api/v1/write" --dir="$payloads" --json-out="$out/replay-forwarding.json" >/dev/null
  t_replay=$(now)
  samples=$(metric tally_head_samples_appended_total)
  await_forwarded "$samples"
  c1=$(cpu "$tally_pid"); t1=$(now)
  kill "$sampler" 2>/dev/null || true
  stop_tally
  stop_sink
  echo "{\"run\":\"forwarding\",\"samples\":$samples,\"cpu_seconds\":$(sub c1 c0),\"wall_seconds\":$(sub t1 t0),\"replay_seconds\":$(sub t_replay t0)}" > "$out/forwarding.json"
fi

# 3. catch-up after an outage as long as the replay
if want catchup; then
  sink_port=$(free_port)
  # the whole backlog (about 1.3 GB of WAL for 500 users x 30 days) must stay: past the 1 GiB default cap the oldest
  # span would be dropped (and counted), which is what the cap is for, but not what this run measures
  start_tally catchup "$(write_config "$sink_port")" --remote-write.max-kept-wal=16GiB
  loadgen replay --url="http://127.0.0.1:$web/api/v1/write" --dir="$payloads" --json-out="$out/replay-catchup.json" >/dev/null
  samples=$(metric tally_head_samples_appended_total)
  sleep 2
  kept=$(metric tally_remote_write_wal_kept_bytes)
  c0=$(cpu "$tally_pid"); t0=$(now)
  start_sink "$sink_port"
  await_forwarded "$samples"
  c1=$(cpu "$tally_pid"); t1=$(now)
  shards=$(metric prometheus_remote_storage_shards)
  stop_tally
  stop_sink
  echo "{\"run\":\"catchup\",\"samples\":$samples,\"cpu_seconds\":$(sub c1 c0),\"wall_seconds\":$(sub t1 t0),\"shards_at_end\":$shards,\"wal_kept_bytes_before\":$kept}" > "$out/catchup.json"
fi

# 4. steady load, without and with forwarding
rate=${STEADY_RATE:-50000}
secs=${STEADY_SECONDS:-60}
steady() { # $1: run name, $2: config or ""
  start_tally "$1" "$2"
  ( while sleep 1; do echo "$(date +%s) $(metric prometheus_remote_storage_samples_pending) $(metric tally_remote_write_lag_seconds)"; done ) \
    > "$out/pending-$1.txt" 2>/dev/null &
  local sampler=$!
  pids+=("$sampler")
  local c0 t0 c1 t1 t2 n
  c0=$(cpu "$tally_pid"); t0=$(now)
  loadgen replay --url="http://127.0.0.1:$web/api/v1/write" --dir="$payloads" --rate="$rate" --seconds="$secs" \
    --json-out="$out/replay-$1.json" >/dev/null
  t1=$(now)
  n=$(metric tally_head_samples_appended_total)
  if [ -n "$2" ]; then await_forwarded "$n"; fi
  t2=$(now); c1=$(cpu "$tally_pid")
  kill "$sampler" 2>/dev/null || true
  stop_tally
  echo "{\"run\":\"$1\",\"rate\":$rate,\"samples\":$n,\"cpu_seconds\":$(sub c1 c0),\"write_seconds\":$(sub t1 t0),\"drain_seconds_after_last_write\":$(sub t2 t1)}" > "$out/$1.json"
}
if want steady; then
  steady steady-baseline ""
  sink_port=$(free_port)
  start_sink "$sink_port"
  steady steady-forwarding "$(write_config "$sink_port")"
  stop_sink
fi
uptime >> "$out/uptime.txt"
cat "$out"/*.json | grep '"run"'
