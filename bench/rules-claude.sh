#!/usr/bin/env bash
# The default Claude Code rules on the benchmark team's data: how long each rule group's evaluation takes.
#
#   bench/rules-claude.sh [--users=500] [--days=30] [--hours=24] [--work=/tmp/tally-rules-claude]
#
# Generates the Claude Code workload (LoadMain generate --workload=claude --start=now-<days>d), writes it into a
# Tally started through ./tally with its shipped defaults (remote-write replay), stops Tally, then evaluates the
# built-in rule groups (ClaudeRulesBench) once a minute of data time over the data's last <hours>: the quiet hours
# and the busiest ones, which evaluation at the wall clock would not reach (the workload's last activity ends hours
# before "now"). Stops only the Tally it started, by PID. Needs: mvn -q -o -DskipTests package.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
users=500; days=30; hours=24; work=/tmp/tally-rules-claude
for a in "$@"; do
  case "$a" in
    --users=*) users="${a#*=}" ;;
    --days=*) days="${a#*=}" ;;
    --hours=*) hours="${a#*=}" ;;
    --work=*) work="${a#*=}" ;;
    *) echo "rules-claude.sh: unknown option $a" >&2; exit 2 ;;
  esac
done
bench_jar="$here/bench/target/benchmarks.jar"
[ -f "$bench_jar" ] && [ -f "$here/server/target/tally.jar" ] || { echo "run: mvn -q -o -DskipTests package" >&2; exit 2; }
loadgen() { java -Xmx4g -cp "$bench_jar" tally.bench.load.LoadMain "$@"; }
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

rm -rf "$work"; mkdir -p "$work"
web="127.0.0.1:$(port)"; otlp="127.0.0.1:$(port)"
log "generating $users users x $days days ending now"
loadgen generate --out="$work/payloads" --formats=remote-write --workload=claude --users="$users" --days="$days" --start="now-${days}d" >/dev/null
"$here/tally" --storage.path="$work/data" --storage.retention=3650d --no-rules.claude-code \
  --web.listen-address="$web" --otlp.listen-address="$otlp" >"$work/tally.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://$web/-/ready" >/dev/null && break; sleep 0.5; done
log "replaying"
loadgen replay --url="http://$web/api/v1/write" --dir="$work/payloads" --json-out="$work/replay.json" >/dev/null
end_ms=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["end_ms"])' "$work/payloads/manifest.json")
log "stopping Tally (pid $pid)"
kill -TERM "$pid"; wait "$pid" || true
trap - EXIT
log "evaluating the built-in rules once a minute over the last $hours h of the data (ending $end_ms)"
# Chronicle Map needs these when the jar is not started with -jar (its manifest carries them for ./tally)
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED"
# shellcheck disable=SC2086
java -Xmx1g -XX:MaxNewSize=64m $opens -cp "$bench_jar" tally.bench.rules.ClaudeRulesBench --data="$work/data" --end="$end_ms" --hours="$hours" 2>"$work/bench.log"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("replayed %d samples at %.0f samples/s" % (r["acked_samples"], r["samples_per_second"]))' "$work/replay.json"
