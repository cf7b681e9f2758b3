#!/usr/bin/env bash
# Builds the benchmarks and runs every variant side by side in one run (about 8 minutes on 2 cores), then
# prints ns/op, B/op and the ratio to the no-op interceptor floor. Usage:
#   resilience-benchmarks/run.sh [warmup iterations] [measurement iterations] [seconds per iteration]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp -pl resilience-benchmarks -am install -DskipTests
./mvnw -B -q -ntp -pl resilience-benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cd resilience-benchmarks
java -cp "target/classes:$(cat target/classpath.txt)" dev.resilience.benchmarks.BenchmarkMain "$@"
