#!/usr/bin/env bash
# What Spring AOT, and on JDK 25 and later the JVM's AOT cache, take off the startup rows' cold starts: processes
# each startup application (1,000 guarded methods, see GeneratedServices) ahead of time with StartupAot, as
# spring-boot:process-aot does, then starts each cold in a fresh JVM with and without the generated code
# (-Dspring.aot.enabled=true), in rounds, and prints the main thread's CPU time and the wall-clock time of each
# start (StartupSteps) and their medians, in milliseconds. Run by a JDK 25 or later (JAVA_HOME), it also makes a JVM
# AOT cache (JEP 483, 514, 515: classes loaded and linked, and method profiles, from a training run: one start of
# the same application, ended at the refresh as Boot's is: -Dspring.context.exit=onRefresh) for each application
# with and without Spring AOT, and adds the modes "cache" and "aot+cache": what Boot's AOT cache support
# (-XX:AOTCacheOutput, then -XX:AOTCache) gives.
# Usage: [JAVA_HOME=<jdk>] resilience-benchmarks/startup-aot.sh [rounds: cold starts per variant and mode, default 5]
# (about 3 minutes for 5 rounds, 5 with the cache modes; 11 rounds: about 5 and 9 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp -pl resilience-benchmarks -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt
cd resilience-benchmarks
runs=${1:-5}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=${JAVA_HOME:+$JAVA_HOME/bin/}jar
out=target/generated-startup
variants="startupWithout startupProxyFloor startupWithStarter startupWovenWithout startupAspectJ"
"$java" -cp "target/classes:$(cat target/classpath.txt)" dev.resilience.benchmarks.GeneratedServices
# The JVM's AOT cache and class data sharing take classes from jar files only (a directory on the class path stops
# the cache's creation), so every mode starts from jars, made here from the compiled directories.
jarred() {  # directory, jar: the jar of the directory's classes
  rm -f "$2"
  "$jar" cf "$2" -C "$1" . || { echo "Could not make $2 of $1" >&2; exit 1; }
}
mkdir -p "$out/jars"
jarred target/classes "$out/jars/benchmarks.jar"
jarred "$out/classes" "$out/jars/classes.jar"
jarred "$out/woven" "$out/jars/woven.jar"
base="$out/jars/benchmarks.jar:$(cat target/classpath.txt)"
plain_beans=$out/jars/classes.jar
woven_beans=$out/jars/woven.jar
beans() { case $1 in startupAspectJ | startupWovenWithout) echo "$woven_beans" ;; *) echo "$plain_beans" ;; esac; }
for variant in $variants; do
  if ! "$java" -cp "$base:$(beans "$variant")" dev.resilience.benchmarks.StartupAot "$variant" "$out/aot/$variant" \
      > "$out/aot-$variant.log" 2>&1; then
    cat "$out/aot-$variant.log" >&2
    echo "Spring AOT could not process $variant (log above)" >&2
    exit 1
  fi
  jarred "$out/aot/$variant/classes" "$out/jars/aot-$variant.jar"
done
modes="plain aot"
version=$("$java" -XshowSettings:properties -version 2>&1 | awk -F '= ' '/java.specification.version/ { print $2 }')
if [ "${version%%.*}" -ge 25 ]; then
  modes="plain aot cache aot+cache"
fi
options() {  # variant, mode, then "train" for the training run of a cache mode: the start's JVM options, in opts
  local variant=$1 mode=$2 classes
  classes="$base:$(beans "$variant")"
  opts=()
  case $mode in aot | aot+cache) opts+=(-Dspring.aot.enabled=true) classes="$out/jars/aot-$variant.jar:$classes" ;; esac
  case $mode in
    cache | aot+cache)
      # AOTMode=on: a start that cannot use its cache stops instead of measuring a start without it.
      if [ "${3:-}" = train ]; then opts+=(-Dspring.context.exit=onRefresh "-XX:AOTCacheOutput=$out/jars/$variant-$mode.aot")
      else opts+=(-XX:AOTMode=on "-XX:AOTCache=$out/jars/$variant-$mode.aot"); fi ;;
  esac
  opts+=(-cp "$classes")
}
for variant in $variants; do
  for mode in $modes; do
    case $mode in
      cache | aot+cache)
        options "$variant" "$mode" train
        if ! "$java" "${opts[@]}" dev.resilience.benchmarks.StartupSteps "$variant" \
            > "$out/jars/$variant-$mode.log" 2>&1; then
          cat "$out/jars/$variant-$mode.log" >&2
          echo "The training run of $variant ($mode) failed (log above)" >&2
          exit 1
        fi ;;
    esac
  done
done
starts=$(mktemp)
trap 'rm -f "$starts"' EXIT
start() {  # variant, mode, java options...: one cold start, its CPU and wall-clock lines (ALL, WALL) in ms
  local variant=$1 mode=$2 steps
  shift 2
  if ! steps=$("$java" "$@" dev.resilience.benchmarks.StartupSteps "$variant" 2>&1); then
    printf '%s\n' "$steps" >&2
    echo "The start of $variant ($mode) failed (its output above)" >&2
    exit 1
  fi
  awk -F '\t' -v v="$variant" -v m="$mode" '$3 == "ALL" { cpu = $1 } $3 == "WALL" { wall = $1 }
    END { if (cpu == "" || wall == "") exit 1; printf "%s %s %.0f %.0f\n", v, m, cpu / 1000, wall / 1000 }' \
    <<< "$steps" | tee -a "$starts"
}
for ((run = 0; run < runs; run++)); do
  # A mode's starts of one round run one after another (the starts compared are seconds apart), the variants in
  # a shuffled order, so that none always runs right after another.
  for mode in $modes; do
    for variant in $(shuf -e $variants); do
      options "$variant" "$mode"
      start "$variant" "$mode" "${opts[@]}"
    done
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
  for mode in $modes; do
    line="$variant $mode $(column "$variant" "$mode" 3 | median) $(column "$variant" "$mode" 4 | median)"
    if [ "$variant" != startupWithout ]; then
      line="$line $(difference "$variant" startupWithout "$mode" 3) $(difference "$variant" startupWithout "$mode" 4)"
    fi
    echo "$line"
  done
done
echo "the starter's own work (CPU, wall clock): proxy mode over the proxy floor, AspectJ mode over the woven classes"
for mode in $modes; do
  echo "startupWithStarter-startupProxyFloor $mode $(difference startupWithStarter startupProxyFloor "$mode" 3)" \
    "$(difference startupWithStarter startupProxyFloor "$mode" 4)"
  echo "startupAspectJ-startupWovenWithout $mode $(difference startupAspectJ startupWovenWithout "$mode" 3)" \
    "$(difference startupAspectJ startupWovenWithout "$mode" 4)"
done
