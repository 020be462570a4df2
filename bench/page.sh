#!/usr/bin/env bash
# The built-in page's load time on the 30-day Claude Code benchmark data (issue 15): generates the payloads (once),
# starts Tally from its jar on free loopback ports over a fresh data directory, replays the payloads over
# remote-write, waits until they are persisted as peers.sh does (two WAL checkpoints after the replay, at most one
# open block), then times whole overview loads for each range of the page's picker (LoadMain page), and stops
# Tally by its PID. Results: bench/results/page-<users>u/ (page.json) and bench/RESULTS-page.md by hand.
#
#   bench/page.sh [users=500] [loads=5]
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-500}
loads=${2:-5}
work=${TALLY_BENCH_DIR:-/tmp/tally-page-bench}
out=bench/results/page-${users}u
mkdir -p "$work" "$out"
[ -f server/target/tally.jar ] && [ -f bench/target/benchmarks.jar ] || mvn -q -DskipTests package
# copies: a rebuild while the benchmark runs must not change the classes under a running JVM
cp server/target/tally.jar "$work/tally.jar"
cp bench/target/benchmarks.jar "$work/benchmarks.jar"
loadgen() { java -Xmx4g -cp "$work/benchmarks.jar" tally.bench.load.LoadMain "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

payloads="$work/payloads-${users}u"
if [ ! -f "$payloads/manifest.json" ]; then
  loadgen generate --workload=claude --users="$users" --days=30 --formats=remote-write --out="$payloads" >/dev/null
fi

web=$(free_port); otlp=$(free_port)
rm -rf "$work/data"
java -Xmx1g -Xms16m -XX:+UseSerialGC -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:MaxNewSize=64m -XX:SurvivorRatio=3 -XX:MaxDirectMemorySize=256m -XX:+ExitOnOutOfMemoryError \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
  --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED \
  -Dchronicle.analytics.disable=true -jar "$work/tally.jar" --storage.path="$work/data" \
  --web.listen-address="127.0.0.1:$web" --otlp.listen-address="127.0.0.1:$otlp" --otlp.grpc-listen-address= \
  > "$out/tally.log" 2>&1 &
tally_pid=$!
trap 'kill "$tally_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$web/-/ready" >/dev/null && break; sleep 0.5; done

metric() { curl -s "http://127.0.0.1:$web/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
loadgen replay --url="http://127.0.0.1:$web/api/v1/write" --dir="$payloads" --json-out="$out/replay.json" >/dev/null
c0=$(metric tally_head_checkpoints_total)
for _ in $(seq 1 400); do
  sleep 1
  awk -v a="$c0" -v b="$(metric tally_head_checkpoints_total)" 'BEGIN { exit !(b >= a + 2) }' && break
done
for _ in $(seq 1 300); do
  awk -v n="$(metric tally_storage_blocks_open)" 'BEGIN { exit !(n != "" && n <= 1) }' && break
  sleep 1
done
uptime > "$out/uptime.txt"
loadgen page --url="http://127.0.0.1:$web" --dir="$payloads" --loads="$loads" --json-out="$out/page.json" >/dev/null
uptime >> "$out/uptime.txt"
