#!/usr/bin/env bash
# What Spring AOT takes off the startup rows' cold starts: processes each startup application (1,000 guarded
# methods, see GeneratedServices) ahead of time with StartupAot, as spring-boot:process-aot does, then starts each
# cold in a fresh JVM with and without the generated code (-Dspring.aot.enabled=true), alternating, and prints the
# main thread's CPU time and the wall-clock time of each start (StartupSteps) and their medians, in milliseconds.
# Usage: resilience-benchmarks/startup-aot.sh [cold starts per variant and mode, default 5]  (about 4 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp -pl resilience-benchmarks -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt
cd resilience-benchmarks
runs=${1:-5}
base="target/classes:$(cat target/classpath.txt)"
out=target/generated-startup
variants="startupWithout startupProxyFloor startupWithStarter startupWovenWithout startupAspectJ"
beans() { case $1 in startupAspectJ | startupWovenWithout) echo "$out/woven" ;; *) echo "$out/classes" ;; esac; }
java -cp "$base" dev.resilience.benchmarks.GeneratedServices
for variant in $variants; do
  if ! java -cp "$base:$(beans "$variant")" dev.resilience.benchmarks.StartupAot "$variant" "$out/aot/$variant" \
      > "$out/aot-$variant.log" 2>&1; then
    cat "$out/aot-$variant.log" >&2
    echo "Spring AOT could not process $variant (log above)" >&2
    exit 1
  fi
done
starts=$(mktemp)
trap 'rm -f "$starts"' EXIT
start() {  # variant, mode, java options...: one cold start, its CPU and wall-clock lines (ALL, WALL) in ms
  local variant=$1 mode=$2 steps
  shift 2
  steps=$(java "$@" dev.resilience.benchmarks.StartupSteps "$variant")
  awk -F '\t' -v v="$variant" -v m="$mode" '$3 == "ALL" { cpu = $1 } $3 == "WALL" { wall = $1 }
    END { if (cpu == "" || wall == "") exit 1; printf "%s %s %.0f %.0f\n", v, m, cpu / 1000, wall / 1000 }' \
    <<< "$steps" | tee -a "$starts"
}
for ((run = 0; run < runs; run++)); do
  # Each round starts the variants in another order, so that none always runs right after another.
  read -r -a order <<< "$variants"
  for ((i = 0; i < ${#order[@]}; i++)); do
    variant=${order[(i + run) % ${#order[@]}]}
    start "$variant" plain -cp "$base:$(beans "$variant")"
    start "$variant" aot -Dspring.aot.enabled=true -cp "$out/aot/$variant/classes:$base:$(beans "$variant")"
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# The VM's speed drifts between minutes, so each start is also compared with a start of the same round and mode
# (started within the same minute): the median of those differences, and their range over the rounds.
column() {  # variant, mode, field: one value per round, in the order of the rounds
  awk -v v="$1" -v m="$2" -v f="$3" '$1 == v && $2 == m { print $f }' "$starts"
}
difference() {  # variant, baseline, mode, field: "+median (min to max)" of the rounds' differences
  local differences
  differences=$(paste <(column "$1" "$3" "$4") <(column "$2" "$3" "$4") | awk '{ print $1 - $2 }')
  printf '%+d (%d to %d)' "$(median <<< "$differences" | awk '{ printf "%d", $1 }')" \
    "$(sort -n <<< "$differences" | head -1)" "$(sort -n <<< "$differences" | tail -1)"
}
echo
echo "medians of $runs cold starts (ms): variant, mode, main-thread CPU, wall clock; then, against startupWithout of"
echo "the same round and mode, the median (and range) of the differences in CPU and in wall-clock time"
for variant in $variants; do
  for mode in plain aot; do
    line="$variant $mode $(column "$variant" "$mode" 3 | median) $(column "$variant" "$mode" 4 | median)"
    if [ "$variant" != startupWithout ]; then
      line="$line $(difference "$variant" startupWithout "$mode" 3) $(difference "$variant" startupWithout "$mode" 4)"
    fi
    echo "$line"
  done
done
echo "the starter's own work (CPU, wall clock): proxy mode over the proxy floor, AspectJ mode over the woven classes"
for mode in plain aot; do
  echo "startupWithStarter-startupProxyFloor $mode $(difference startupWithStarter startupProxyFloor "$mode" 3)" \
    "$(difference startupWithStarter startupProxyFloor "$mode" 4)"
  echo "startupAspectJ-startupWovenWithout $mode $(difference startupAspectJ startupWovenWithout "$mode" 3)" \
    "$(difference startupAspectJ startupWovenWithout "$mode" 4)"
done
