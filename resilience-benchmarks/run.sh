#!/usr/bin/env bash
# Builds the benchmarks and runs every variant side by side in one run (about 25 minutes on 2 cores), then
# prints ns/op, B/op and the ratio to the no-op interceptor floor, and MET / NOT MET per target. Usage:
#   resilience-benchmarks/run.sh [warmup iterations] [measurement iterations] [seconds per iteration] [variants]
# e.g. resilience-benchmarks/run.sh 1 2 1 'aspectj.*|(ours|r4j)(Future|Mono).*'  (a few rows, quickly)
# The startup rows (an application of 1,000 guarded methods started 90 times, about 5 minutes more) run with
# every variant, or when the regular expression matches one of them, e.g. 'startup.*'.
# The rows whose targets compare them within a few nanoseconds (the two floors, the bulkhead, the breaker with
# meters, AspectJ stacked) run in 3 forks each, the others in one.
# The modules are packaged in place (nothing is installed into the local Maven repository).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp -pl resilience-benchmarks -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt
cd resilience-benchmarks
java -cp "target/classes:$(cat target/classpath.txt)" dev.resilience.benchmarks.BenchmarkMain "$@"
