#!/usr/bin/env bash
# Long runs of the fuzz targets (server/src/test/java/tally/server/fuzz): the same tests as the short run in
# `mvn -B test`, with more cases, another seed if given, and Prometheus's PromQL test scripts added to the corpus
# when ../shared/reference exists.
#
#   bench/fuzz.sh TARGET [CASES=1000000] [MINUTES] [SEED]
#
# TARGET: otlp-http grpc remote-write compression compression-http promql-parser promql-engine rules
# web-config.
# MINUTES stops the run early (the report says how many cases ran). Needs a built tree (mvn -q -DskipTests package).
# FUZZ_REFERENCE=DIR reads the reference material from DIR instead of ../shared/reference (false: none).
# Progress every 30 s: server/target/surefire-reports/tally.server.fuzz.<Test>-output.txt. Report:
# server/target/fuzz-reports/<name>.txt; failing and slow inputs: server/target/fuzz-failures/<name>/.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: bench/fuzz.sh TARGET [CASES] [MINUTES] [SEED]}"
cases="${2:-1000000}"
minutes="${3:-}"
seed="${4:-}"
case "$target" in
  otlp-http)        test=OtlpHttpFuzzTest;     report=otlp-http ;;
  grpc)             test=GrpcFuzzTest;         report=grpc ;;
  remote-write)     test=RemoteWriteFuzzTest;  report=remote-write ;;
  compression)      test='CompressionFuzzTest#decompressionNeverGoesPastItsCap'; report=compression-direct ;;
  compression-http) test='CompressionFuzzTest#compressedBodiesAreAnswered2xxOr4xxThroughTheServer'; report=compression-http ;;
  promql-parser)    test=PromqlParserFuzzTest; report=promql-parser ;;
  promql-engine)    test=PromqlEngineFuzzTest; report=promql-engine ;;
  rules)            test=RuleFileFuzzTest;     report=rules ;;
  web-config)       test=WebConfigFuzzTest;    report=web-config ;;
  *) echo "fuzz.sh: unknown target $target" >&2; exit 2 ;;
esac
args=(-o -q test -pl server -am "-Dtest=$test" -Dsurefire.failIfNoSpecifiedTests=false "-Dfuzz.cases=$cases"
      "-Dfuzz.reference=${FUZZ_REFERENCE:-true}")
[ -n "$minutes" ] && args+=("-Dfuzz.minutes=$minutes")
[ -n "$seed" ] && args+=("-Dfuzz.seed=$seed")
rm -f "server/target/fuzz-reports/$report.txt"
start=$(date +%s)
status=0
mvn "${args[@]}" > "/tmp/fuzz-$report-mvn.log" 2>&1 || status=$?
echo "command: bench/fuzz.sh $*"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%dT%H:%MZ)"
if [ -f "server/target/fuzz-reports/$report.txt" ]; then cat "server/target/fuzz-reports/$report.txt"; else tail -40 "/tmp/fuzz-$report-mvn.log"; fi
echo "wall time with the build: $(( $(date +%s) - start )) s; mvn exit status $status (log /tmp/fuzz-$report-mvn.log)"
exit "$status"
