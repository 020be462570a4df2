#!/usr/bin/env bash
# Kills Tally with SIGKILL in the middle of a backfill and times its restart over the same data, with the peak RSS of
# the restart (WAL replay included): what a crash costs with the shipped defaults (./tally, 1 GiB heap).
#
#   bench/kill-restart.sh --payloads=DIR [--kill-after=60] [--work=/tmp/tally-kill] [--out=FILE.json]
#
# DIR is a payload directory made by `LoadMain generate` (bench/peers.sh leaves them in its work directory).
# Needs server/target/tally.jar and bench/target/benchmarks.jar. Prints one JSON object (and writes it to --out).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
payloads=""; kill_after=60; work=/tmp/tally-kill; out=""
for a in "$@"; do
  case "$a" in
    --payloads=*) payloads="${a#*=}" ;;
    --kill-after=*) kill_after="${a#*=}" ;;
    --work=*) work="${a#*=}" ;;
    --out=*) out="${a#*=}" ;;
    *) echo "kill-restart.sh: unknown option $a" >&2; exit 2 ;;
  esac
done
[ -n "$payloads" ] || { echo "kill-restart.sh: --payloads=DIR is required" >&2; exit 2; }
bench_jar="$here/bench/target/benchmarks.jar"
WEB=127.0.0.1:19190
data="$work/data"
rm -rf "$work"; mkdir -p "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start() { # -> tally_pid; waits for /-/ready
  "$here/tally" --storage.path="$data" --web.listen-address=$WEB --otlp.listen-address= --storage.retention=3650d \
    >>"$work/tally.log" 2>&1 &
  tally_pid=$!
  pids+=("$tally_pid")
}
ready() { curl -sf -o /dev/null "http://$WEB/-/ready"; }
metric() { curl -s "http://$WEB/metrics" | awk -v m="$1" '$1==m{print $2}'; }

start
until ready; do sleep 0.2; done
java -Xmx4g -cp "$bench_jar" tally.bench.load.LoadMain replay --url="http://$WEB/api/v1/write" --dir="$payloads" \
  --json-out="$work/replay.json" >/dev/null 2>&1 &
replay_pid=$!
pids+=("$replay_pid")
sleep "$kill_after"
samples=$(metric tally_head_samples_appended_total)
wal_bytes=$(metric tally_wal_size_bytes)
kill -KILL "$tally_pid"; wait "$tally_pid" 2>/dev/null || true
kill -KILL "$replay_pid" 2>/dev/null || true; wait "$replay_pid" 2>/dev/null || true

t0=$(date +%s.%N)
start
peak=0
until ready; do
  kb=$(awk '/^VmRSS/{print $2}' "/proc/$tally_pid/status" 2>/dev/null || echo 0)
  [ "${kb:-0}" -gt "$peak" ] && peak=$kb
  kill -0 "$tally_pid" 2>/dev/null || { echo "kill-restart.sh: tally exited during the restart" >&2; tail -20 "$work/tally.log" >&2; exit 1; }
  sleep 0.1
done
t1=$(date +%s.%N)
hwm=$(awk '/^VmHWM/{print $2}' "/proc/$tally_pid/status")
replayed=$(grep -o 'replayed [0-9,]* records ([0-9,]* series, [0-9,]* samples)' "$work/tally.log" | tail -1)
kill -TERM "$tally_pid"; wait "$tally_pid" 2>/dev/null || true
oom=$(grep -c 'OutOfMemoryError\|out of memory' "$work/tally.log" || true)
json=$(printf '{"payloads": "%s", "kill_after_seconds": %s, "samples_acked_before_kill": %s, "wal_bytes_at_kill": %s, "restart_seconds": %.2f, "restart_peak_rss_mib": %d, "replay": "%s", "out_of_memory_lines": %s}' \
  "$payloads" "$kill_after" "${samples:-0}" "${wal_bytes:-0}" "$(echo "$t1 - $t0" | bc)" "$(( (hwm > peak ? hwm : peak) / 1024 ))" "$replayed" "$oom")
echo "$json"
[ -z "$out" ] || echo "$json" > "$out"
