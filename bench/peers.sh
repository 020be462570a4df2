#!/usr/bin/env bash
# Side-by-side ingest/disk/memory/query benchmark of Tally against Prometheus and VictoriaMetrics on this
# machine, in one run, with byte-identical remote-write payloads. It uses the Debian `prometheus` and
# `victoria-metrics` binaries when they are installed and installs nothing (missing peers are reported).
#
#   bench/peers.sh [--synthetic="--series=10000 --samples=10000"] [--claude="--users=500 --days=30"]
#                  [--claude-scale="--users=1000 --days=90 --start=now-90d"] [--claude-laptop="--users=1 --days=30"]
#                  [--workloads="synthetic synthetic-phased synthetic-jitter claude claude-laptop claude-scale"]
#                  [--systems="tally tally-otlp prometheus victoria-metrics"]
#                  [--runs=10] [--panel-runs=3] [--work=/tmp/tally-peers] [--name=peers-YYYY-MM-DD]
#
# Workloads: synthetic (every series scraped at the same instants), synthetic-phased (each series at its own phase
# inside the interval, as Prometheus scrapes targets at their own offsets), synthetic-jitter (the same instants, each
# sample up to 50 ms off), claude (Claude Code sessions), claude-laptop (one developer's 30 days: the laptop case),
# claude-scale (the team of DESIGN.md: 1,000 users over the last 90 days; its payloads are made again each day, as
# they end now).
# Tally runs with --query.result-cache-size=0, as VictoriaMetrics runs with -search.disableCache: the query times
# compare engines, not caches (bench/page.sh measures a refreshed page with the cache on).
# Needs server/target/tally.jar and bench/target/benchmarks.jar (mvn -q -o -DskipTests package).
# Results: bench/results/<name>.md and .json; raw measurements stay in the work directory, with each system's RSS
# every 2 s (rss.tsv: seconds since start, RSS MiB, phase).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
synthetic_args="--series=10000 --samples=10000 --interval=15s"
claude_args="--users=500 --days=30"
claude_scale_args="--users=1000 --days=90 --start=now-90d"
claude_laptop_args="--users=1 --days=30"
workloads="synthetic synthetic-phased synthetic-jitter claude claude-laptop claude-scale"
systems="tally tally-otlp prometheus victoria-metrics"
runs=10
panel_runs=3
work=/tmp/tally-peers
name="peers-$(date -u +%Y-%m-%d)"
for a in "$@"; do
  case "$a" in
    --synthetic=*) synthetic_args="${a#*=}" ;;
    --claude=*) claude_args="${a#*=}" ;;
    --claude-scale=*) claude_scale_args="${a#*=}" ;;
    --claude-laptop=*) claude_laptop_args="${a#*=}" ;;
    --workloads=*) workloads="${a#*=}" ;;
    --systems=*) systems="${a#*=}" ;;
    --runs=*) runs="${a#*=}" ;;
    --panel-runs=*) panel_runs="${a#*=}" ;;
    --work=*) work="${a#*=}" ;;
    --name=*) name="${a#*=}" ;;
    *) echo "peers.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

tally_jar="$here/server/target/tally.jar"
bench_jar="$here/bench/target/benchmarks.jar"
for j in "$tally_jar" "$bench_jar"; do
  [ -f "$j" ] || { echo "peers.sh: $j is missing; run: mvn -q -o -DskipTests package" >&2; exit 2; }
done
loadgen() { java -Xmx4g -cp "$bench_jar" tally.bench.load.LoadMain "$@"; }
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# Peers that are not installed are skipped, and said so.
missing=""
have_system() {
  case "$1" in
    prometheus) command -v prometheus >/dev/null ;;
    victoria-metrics) command -v victoria-metrics >/dev/null ;;
    *) return 0 ;;
  esac
}
active=""
for s in $systems; do
  if have_system "$s"; then active="$active $s"; else missing="$missing $s"; fi
done
[ -z "$missing" ] || log "not installed, skipped:$missing"

run="$work/run-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run"
started_pids=()
cleanup() {
  for p in "${started_pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "command: bench/peers.sh $*"
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -m | awk '/Mem:/{print $2}') MiB RAM, $(uname -sr)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "tally: $(java -jar "$tally_jar" --version 2>/dev/null | head -1)"
  command -v prometheus >/dev/null && echo "prometheus: $(prometheus --version 2>&1 | head -1)"
  command -v victoria-metrics >/dev/null && echo "victoria-metrics: $(dpkg-query -W -f='${Version}' victoria-metrics 2>/dev/null || victoria-metrics -version 2>&1 | head -1)"
  [ -z "$missing" ] || echo "missing peers (skipped):$missing"
  echo "workloads: $workloads; synthetic [$synthetic_args], claude [$claude_args], claude-laptop [$claude_laptop_args], claude-scale [$claude_scale_args]; $runs query runs (median), $panel_runs runs of each Grafana request"
} > "$run/env.txt"
cat "$run/env.txt" >&2

wait_ready() { # url
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.5
  done
  echo "peers.sh: $1 never became ready" >&2
  return 1
}

wait_disk_stable() { # dir
  local prev=-1 cur
  for _ in $(seq 1 120); do
    cur=$(du -sB1 "$1" | cut -f1)
    [ "$cur" = "$prev" ] && return 0
    prev=$cur
    sleep 2
  done
}

# RSS over a system's whole run: every 2 s "seconds RSS-MiB phase" into rss.tsv; rss_phase names what runs now.
rss_start() { # pid out
  echo start > "$2/rss.phase"
  (
    t0=$(date +%s)
    while kill -0 "$1" 2>/dev/null; do
      kb=$(awk '/^VmRSS/{print $2}' "/proc/$1/status" 2>/dev/null) || break
      [ -n "$kb" ] && echo "$(( $(date +%s) - t0 )) $(( kb / 1024 )) $(cat "$2/rss.phase")" >> "$2/rss.tsv"
      sleep 2
    done
  ) &
  rss_pid=$!
  started_pids+=("$rss_pid")
}
rss_phase() { echo "$2" > "$1/rss.phase"; } # out phase

stats() { # out pid [dir index-regex]
  local out=$1 pid=$2
  shift 2
  if [ $# -ge 2 ]; then loadgen stats --pid="$pid" --dir="$1" --index-regex="$2" --json-out="$out" >/dev/null
  else loadgen stats --pid="$pid" --json-out="$out" >/dev/null; fi
}

# Queries while the replay runs: every 10 s one range query over the last 30 days of the data (all of it when it is
# shorter; step 1 h), to show whether a system keeps answering during a backfill. Writes probe.json: how many were
# sent, how many answered 200 within 60 s, and the median and largest time.
probe_start() { # base-url payloads out -> sets probe_pid
  local q start end
  start=$(sed -n 's/.*"start_ms": *\([0-9]*\).*/\1/p' "$2/manifest.json" | head -1)
  end=$(sed -n 's/.*"end_ms": *\([0-9]*\).*/\1/p' "$2/manifest.json" | head -1)
  [ "$start" -ge $((end - 30 * 86400000)) ] || start=$((end - 30 * 86400000))
  if grep -q '"workload": *"claude"' "$2/manifest.json"; then q='sum by (type) (rate(claude_code_token_usage_tokens_total[1h]))'
  else q='sum(rate({__name__=~"synthetic_counter_.+"}[1h]))'; fi
  : > "$3/probe.txt"
  (
    while true; do
      sleep 10
      curl -s -o /dev/null --max-time 60 -w '%{http_code} %{time_total}\n' -G "$1/api/v1/query_range" \
        --data-urlencode "query=$q" --data "start=$((start / 1000))" --data "end=$((end / 1000))" --data step=3600 \
        >> "$3/probe.txt" || true # a timeout is written as code 000
    done
  ) &
  probe_pid=$!
}

probe_stop() { # out
  kill "$probe_pid" 2>/dev/null || true
  wait "$probe_pid" 2>/dev/null || true
  sort -k2 -g "$1/probe.txt" | awk '{ n++; if ($1 == 200) ok++; t[n] = $2 * 1000 } END {
    printf "{\"probes\": %d, \"answered\": %d, \"median_ms\": %.1f, \"max_ms\": %.1f}\n", n, ok, n ? t[int((n + 1) / 2)] : 0, n ? t[n] : 0 }' > "$1/probe.json"
}

# --- Tally ---------------------------------------------------------------------------------------
TALLY_WEB=127.0.0.1:19090
TALLY_OTLP=127.0.0.1:14318
start_tally() { # data-dir -> sets tally_pid
  # through the launcher users run, so Tally runs with its shipped JVM defaults (TALLY_JAVA_OPTS adds to them)
  "$here/tally" --storage.path="$1" \
    --web.listen-address=$TALLY_WEB --otlp.listen-address=$TALLY_OTLP --storage.retention=3650d \
    --otlp.promote-resource-attributes=service.name --query.result-cache-size=0 >>"$1.log" 2>&1 &
  tally_pid=$!
  started_pids+=("$tally_pid")
  wait_ready "http://$TALLY_WEB/-/ready"
}

stop_tally() { # out-json: SIGTERM (Tally seals and flushes), SIGKILL after 30 s; records how it went
  local t0 clean=true
  t0=$(date +%s.%N)
  kill -TERM "$tally_pid"
  for _ in $(seq 1 300); do kill -0 "$tally_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$tally_pid" 2>/dev/null; then
    log "tally did not stop within 30 s of SIGTERM; killing it"
    kill -KILL "$tally_pid"
    clean=false
  fi
  wait "$tally_pid" 2>/dev/null || true
  awk -v t0="$t0" -v t1="$(date +%s.%N)" -v c="$clean" \
    'BEGIN { printf "{\"shutdown_seconds\": %.2f, \"clean\": %s}\n", t1 - t0, c }' > "$1"
}

tally_metric() { curl -s "http://$TALLY_WEB/metrics" | awk -v m="$1" '$1==m{print $2}'; }

bench_tally() { # workload payloads out protocol
  local w=$1 payloads=$2 out=$3 protocol=$4 data="$3/data"
  mkdir -p "$out"
  start_tally "$data"
  rss_start "$tally_pid" "$out"
  stats "$out/cpu0.json" "$tally_pid"
  rss_phase "$out" ingest
  probe_start "http://$TALLY_WEB" "$payloads" "$out"
  if [ "$protocol" = otlp ]; then
    loadgen replay --url="http://$TALLY_OTLP/v1/metrics" --protocol=otlp --dir="$payloads" --json-out="$out/replay.json" >/dev/null || true
  else
    loadgen replay --url="http://$TALLY_WEB/api/v1/write" --dir="$payloads" --json-out="$out/replay.json" >/dev/null || true
  fi
  probe_stop "$out"
  stats "$out/ingest.json" "$tally_pid"
  rss_phase "$out" persist
  # Persist: wait for a whole background flush (every 2 min) that starts after the replay: it moves every
  # idle series' chunks to the store and checkpoints the WAL. (One may be running already: it does not count.)
  # What is still open stays in the head and the checkpoint.
  local f0 f1 steady=0
  f0=$(tally_metric tally_head_checkpoints_total)
  for _ in $(seq 1 300); do
    sleep 1
    f1=$(tally_metric tally_head_checkpoints_total)
    awk -v a="$f0" -v b="$f1" 'BEGIN { exit !(b >= a + 2) }' && break
  done
  # ...and until every finished day is sealed into its compact form (at most the live day's block stays
  # in Chronicle Map form; a backfill of past days has none), for 3 s in a row: Prometheus is likewise
  # measured on its compacted block
  for _ in $(seq 1 300); do
    if awk -v n="$(tally_metric tally_storage_blocks_open)" 'BEGIN { exit !(n != "" && n <= 1) }'; then
      steady=$((steady + 1))
      [ "$steady" -ge 3 ] && break
    else
      steady=0
    fi
    sleep 1
  done
  sleep 2
  stats "$out/persist.json" "$tally_pid"
  curl -s "http://$TALLY_WEB/metrics" | grep '^tally_' > "$out/tally-metrics.txt" || true
  loadgen stats --dir="$data" --index-regex='(^|/)(index[^/]*|series\.cm)$' --json-out="$out/disk.json" >/dev/null
  rss_phase "$out" queries
  loadgen queries --url="http://$TALLY_WEB" --dir="$payloads" --runs="$runs" --panel-runs="$panel_runs" --json-out="$out/queries.json" >/dev/null || true
  stats "$out/qstats.json" "$tally_pid"
  stop_tally "$out/shutdown.json"
  restart_tally "$data" "$out/restart.json"
}

restart_tally() { # data-dir out-json: a clean restart over the same data, timed to /-/ready, with its RSS
  local t0 t1
  t0=$(date +%s.%N)
  start_tally "$1"
  t1=$(date +%s.%N)
  stats "$2.stats" "$tally_pid"
  awk -v t0="$t0" -v t1="$t1" -v rss="$(sed -n 's/.*"peak_rss_bytes": *\([0-9]*\).*/\1/p' "$2.stats")" \
    'BEGIN { printf "{\"restart_seconds\": %.2f, \"peak_rss_bytes\": %s}\n", t1 - t0, rss }' > "$2"
  rm -f "$2.stats"
  stop_tally "$2.shutdown"
  rm -f "$2.shutdown"
}

# --- Prometheus ----------------------------------------------------------------------------------
PROM_WEB=127.0.0.1:19091
bench_prometheus() { # workload payloads out
  local payloads=$2 out=$3 data="$3/data"
  mkdir -p "$data"
  printf 'global:\n  scrape_interval: 15s\n' > "$out/prometheus.yml"
  prometheus --config.file="$out/prometheus.yml" --storage.tsdb.path="$data" --web.listen-address=$PROM_WEB \
    --web.enable-remote-write-receiver --web.enable-admin-api --storage.tsdb.retention.time=10y >"$out/prometheus.log" 2>&1 &
  local pid=$!
  started_pids+=("$pid")
  wait_ready "http://$PROM_WEB/-/ready"
  rss_start "$pid" "$out"
  stats "$out/cpu0.json" "$pid"
  rss_phase "$out" ingest
  probe_start "http://$PROM_WEB" "$payloads" "$out"
  loadgen replay --url="http://$PROM_WEB/api/v1/write" --dir="$payloads" --json-out="$out/replay.json" >/dev/null || true
  probe_stop "$out"
  stats "$out/ingest.json" "$pid"
  rss_phase "$out" persist
  # Persist: a snapshot writes the head as a block next to the compacted ones; it is what "on disk" means here.
  local snap
  snap=$(curl -s -XPOST "http://$PROM_WEB/api/v1/admin/tsdb/snapshot" | sed -n 's/.*"name":"\([^"]*\)".*/\1/p')
  stats "$out/persist.json" "$pid"
  loadgen stats --dir="$data/snapshots/$snap" --index-regex='(^|/)index$' --json-out="$out/disk.json" >/dev/null
  rss_phase "$out" queries
  loadgen queries --url="http://$PROM_WEB" --dir="$payloads" --runs="$runs" --panel-runs="$panel_runs" --json-out="$out/queries.json" >/dev/null || true
  stats "$out/qstats.json" "$pid"
  kill -TERM "$pid"
  wait "$pid" || true
}

# --- VictoriaMetrics -----------------------------------------------------------------------------
VM_WEB=127.0.0.1:19428
bench_victoria() { # workload payloads out
  local payloads=$2 out=$3 data="$3/data"
  mkdir -p "$data"
  # The rollup cache is off so that the 10 query runs measure evaluation, as for the others.
  victoria-metrics -storageDataPath="$data" -httpListenAddr=$VM_WEB -retentionPeriod=10y -search.disableCache \
    >"$out/victoria-metrics.log" 2>&1 &
  local pid=$!
  started_pids+=("$pid")
  wait_ready "http://$VM_WEB/health"
  rss_start "$pid" "$out"
  stats "$out/cpu0.json" "$pid"
  rss_phase "$out" ingest
  probe_start "http://$VM_WEB" "$payloads" "$out"
  loadgen replay --url="http://$VM_WEB/api/v1/write" --dir="$payloads" --json-out="$out/replay.json" >/dev/null || true
  probe_stop "$out"
  stats "$out/ingest.json" "$pid"
  rss_phase "$out" persist
  curl -s "http://$VM_WEB/internal/force_flush" >/dev/null
  curl -s "http://$VM_WEB/internal/force_merge" >/dev/null
  wait_disk_stable "$data"
  stats "$out/persist.json" "$pid"
  loadgen stats --dir="$data" --index-regex='(^|/)indexdb/' --json-out="$out/disk.json" >/dev/null
  rss_phase "$out" queries
  loadgen queries --url="http://$VM_WEB" --dir="$payloads" --runs="$runs" --panel-runs="$panel_runs" --json-out="$out/queries.json" >/dev/null || true
  stats "$out/qstats.json" "$pid"
  kill -TERM "$pid"
  wait "$pid" || true
}

workload_args() { # name -> generator arguments
  case "$1" in
    synthetic) echo "--workload=synthetic $synthetic_args" ;;
    synthetic-phased) echo "--workload=synthetic $synthetic_args --phase=spread" ;;
    synthetic-jitter) echo "--workload=synthetic $synthetic_args --jitter=50ms" ;;
    claude) echo "--workload=claude $claude_args" ;;
    claude-laptop) echo "--workload=claude $claude_laptop_args" ;;
    claude-scale) echo "--workload=claude $claude_scale_args" ;;
    *) echo "peers.sh: unknown workload $1" >&2; return 2 ;;
  esac
}

for w in $workloads; do
  args=$(workload_args "$w")
  # payloads that end "now" are made again each day
  stamp=""; case "$args" in *now*) stamp="-$(date -u +%Y%m%d)" ;; esac
  payloads="$work/payloads/$w-$(echo "$args" | tr -c 'A-Za-z0-9=\n' '_')$stamp"
  # the OTLP encodings only when tally-otlp is measured (they are large and slow to make)
  formats="--formats=remote-write"; need_otlp=false
  case " $active " in *" tally-otlp "*) formats=""; need_otlp=true ;; esac
  if [ ! -f "$payloads/manifest.json" ] || { $need_otlp && [ ! -d "$payloads/otlp-delta" ]; }; then
    log "generating $w payloads ($args) into $payloads"
    # shellcheck disable=SC2086
    loadgen generate --out="$payloads" $formats $args >/dev/null
  fi
  mkdir -p "$run/$w"
  cp "$payloads/manifest.json" "$run/$w/manifest.json"
  for s in $active; do
    log "$w: $s"
    case "$s" in
      tally) bench_tally "$w" "$payloads" "$run/$w/$s" remote-write ;;
      tally-otlp) bench_tally "$w" "$payloads" "$run/$w/$s" otlp ;;
      prometheus) bench_prometheus "$w" "$payloads" "$run/$w/$s" ;;
      victoria-metrics) bench_victoria "$w" "$payloads" "$run/$w/$s" ;;
    esac
    rm -rf "$run/$w/$s/data"
    # the machine's load while this system was measured (other jobs make every time longer)
    echo "load average (1/5/15 min) after $w/$s: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$run/env.txt"
  done
done

loadgen report --run="$run" --out="$here/bench/results" --name="$name"
log "raw measurements: $run"
