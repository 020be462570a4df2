#!/usr/bin/env bash
# OTLP ingest over HTTP vs gRPC on the same payloads: acknowledged samples/s and the server's CPU per sample.
#
#   bench/otlp-transports.sh --payloads=DIR [--temporality=cumulative|delta] [--work=/tmp/tally-otlp-transports]
#
# DIR is made by `LoadMain generate --workload=claude ...` (otlp-<temporality>/ inside). For each transport a fresh
# Tally (./tally, shipped defaults) takes the whole replay (8 senders, as fast as it answers): over HTTP to
# /v1/metrics on the OTLP port, over gRPC as MetricsService/Export calls on :4317 (one HTTP/2 connection per
# sender). The server's user+system CPU comes from /proc/<pid>/stat before and after the replay; the bytes it
# allocated from its GC log (each collection's heap before it minus the heap after the previous one, plus the
# growth from the start and to the end, read with jcmd GC.heap_info). Stops only the Tally it started, by PID.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
payloads=""; temporality=cumulative; work=/tmp/tally-otlp-transports
for a in "$@"; do
  case "$a" in
    --payloads=*) payloads="${a#*=}" ;;
    --temporality=*) temporality="${a#*=}" ;;
    --work=*) work="${a#*=}" ;;
    *) echo "otlp-transports.sh: unknown option $a" >&2; exit 2 ;;
  esac
done
[ -n "$payloads" ] || { echo "--payloads=DIR is required" >&2; exit 2; }
bench_jar="$here/bench/target/benchmarks.jar"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
heap_used_kb() { jcmd "$1" GC.heap_info | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | head -1; }

run() { # transport
  rm -rf "$work/$1"; mkdir -p "$work/$1"
  local web otlp grpc url proto pid t0 t1 hz
  web="127.0.0.1:$(port)"; otlp="127.0.0.1:$(port)"; grpc="127.0.0.1:$(port)"
  TALLY_JAVA_OPTS="-Xlog:gc:file=$work/$1/gc.log ${TALLY_JAVA_OPTS:-}" "$here/tally" --storage.path="$work/$1/data" --storage.retention=3650d --web.listen-address="$web" \
    --otlp.listen-address="$otlp" --otlp.grpc-listen-address="$grpc" --no-rules.claude-code >"$work/$1/tally.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -sf "http://$web/-/ready" >/dev/null && break; sleep 0.5; done
  if [ "$1" = grpc ]; then url="http://$grpc"; proto=otlp-grpc; else url="http://$otlp/v1/metrics"; proto=otlp; fi
  t0=$(cpu_ticks "$pid"); h0=$(heap_used_kb "$pid"); g0=$(grep -c Pause "$work/$1/gc.log" || true)
  java -Xmx4g -cp "$bench_jar" tally.bench.load.LoadMain replay --url="$url" --protocol="$proto" --temporality="$temporality" \
    --dir="$payloads" --json-out="$work/$1/replay.json" >/dev/null || true
  t1=$(cpu_ticks "$pid"); h1=$(heap_used_kb "$pid")
  kill -TERM "$pid"; wait "$pid" || true
  hz=$(getconf CLK_TCK)
  python3 - "$1" "$work/$1/replay.json" "$t0" "$t1" "$hz" "$work/$1/gc.log" "$g0" "$h0" "$h1" <<'PY'
import json, re, sys
name, path, t0, t1, hz, gclog, g0, h0, h1 = sys.argv[1:10]
t0, t1, hz, g0, h0, h1 = int(t0), int(t1), int(hz), int(g0), int(h0) * 1024, int(h1) * 1024
r = json.load(open(path))
cpu = (t1 - t0) / hz
pauses = [l for l in open(gclog) if "Pause" in l][g0:]
allocated, after = 0, h0
for l in pauses:
    m = re.search(r"(\d+)M->(\d+)M\(", l)
    if m:
        allocated += max(0, int(m.group(1)) * 2**20 - after)
        after = int(m.group(2)) * 2**20
allocated += max(0, h1 - after)
n = r['acked_samples']
print(f"{name}: {n:,} samples in {r['seconds']:.1f} s = {r['samples_per_second']/1e6:.2f} M samples/s; "
      f"server CPU {cpu:.1f} s = {cpu / n * 1e9:.0f} ns/sample = {n / cpu / 1e6:.2f} M samples/s per core; "
      f"server allocated {allocated / 2**30:.1f} GiB = {allocated / n:.0f} B/sample ({len(pauses)} collections); "
      f"failed requests {r['failed_requests']}, retries {r['retries']}")
PY
}
[ "${ONLY:-}" = grpc ] || run http   # ONLY=grpc: skip the HTTP run
run grpc
