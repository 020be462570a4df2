#!/usr/bin/env bash
# Soak and chaos (issue 13): mixed OTLP + remote-write ingest at twice the Claude Code benchmark rate plus the
# Claude Code dashboard's queries, a SIGKILL every --kill-every, and a data directory on a small tmpfs that is
# filled up once; then every acknowledged sample is read back. Loopback only, bounded: it kills only the Tally it
# started (by PID) and unmounts its tmpfs at the end, also on Ctrl-C. See bench/RESULTS-soak.md.
#
#   bench/soak.sh [--minutes=30] [--kill-every=4m] [--disk-mb=512] [--work=/tmp/tally-soak] [--out=FILE.json]
#                 [--disk-at=0.6] [--disk-hold=45s] [--users=1000] [--export-interval=30s] [--query-every=5s] [--seed=13]
#
#   --minutes          length of the ingest (the final checks come after it)
#   --kill-every       SIGKILL Tally this often (90s, 4m, ...); none in the last minute
#   --disk-mb          size of the tmpfs holding the data directory (needs root; without it the disk-full phase is skipped)
#   --disk-at          when to fill the disk, as a fraction of --minutes (negative: never)
#   --disk-hold        how long the disk stays full
#   --work             working directory: tally.log, the tmpfs mount point disk/, soak.json
#   --out              the JSON result (default WORK/soak.json); a markdown summary goes to stdout
#   --users, --export-interval   1000 users every 30 s is "twice the benchmark rate" (Claude Code exports every 60 s)
#
# Exit status: 0 when every acknowledged sample was found and no write or query failed outside the restart and
# disk-full windows; 1 otherwise; 2 for bad flags. Needs server/target/tally.jar and bench/target/benchmarks.jar
# (built here when missing).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
for a in "$@"; do
  case "$a" in
    --minutes=*|--kill-every=*|--disk-mb=*|--disk-at=*|--disk-hold=*|--work=*|--out=*|--users=*|--export-interval=*|--query-every=*|--seed=*) ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak.sh: unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done
if [ ! -f "$here/server/target/tally.jar" ] || [ ! -f "$here/bench/target/benchmarks.jar" ]; then
  (cd "$here" && mvn -q -DskipTests package) >&2
fi
exec java -Xmx2g -cp "$here/bench/target/benchmarks.jar" tally.bench.soak.SoakMain --repo="$here" "$@"
