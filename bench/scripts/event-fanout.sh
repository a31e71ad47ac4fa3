#!/bin/sh
# Event hub fan-out without chaincode (docs/PERFORMANCE.md, section events): a real ledger in a fresh
# temp folder, the hub and its gRPC server on 127.0.0.1, N gRPC consumers; blocks of synthetic invokes
# committed on a fixed schedule. Options: bench/scripts/event-fanout.sh --help
#   bench/scripts/event-fanout.sh                                  10 consumers, 5,000 tx/s in blocks of 100
#   bench/scripts/event-fanout.sh --warmup 10 --duration 60        the figure for PERFORMANCE.md
# Build first: mvn -B -q -o -pl bench -am package -DskipTests
# FANOUT_OPTS adds JVM options (e.g. "-Xlog:gc" or "-XX:+UseSerialGC").
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/bench/target/benchmarks.jar"
[ -f "$jar" ] || { echo "no $jar: build with mvn -B -q -o -pl bench -am package -DskipTests" >&2; exit 2; }
# shellcheck disable=SC2086
exec java -XX:+UseParallelGC -Xmx1g ${FANOUT_OPTS:-} -cp "$jar" org.jpeer.bench.events.EventFanout "$@"
