package dev.resilience.benchmarks;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.Timing;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every variant in one go, on one thread and (for the contended ones) on two, with the GC profiler, and
 * prints a table of ns/op, B/op and the ratio to the floor, followed by the targets of the performance issue.
 * Writes the same table to {@code target/benchmark-results.md}.
 *
 * <p>Arguments: {@code [warmup iterations] [measurement iterations] [seconds per iteration] [variants]}, default
 * 3 5 1 and every variant; {@code variants} is a regular expression over the method names (the floor is always
 * run), e.g. {@code 'aspectj.*|.*(Future|Mono).*'}. A target whose rows were not run is left out. The rows in
 * {@link #COMPARED} run in {@value #COMPARED_FORKS} forks each, the others in one.
 */
public final class BenchmarkMain {

    private static final String FLOOR = "floorNoOpInterceptor";
    private static final int STARTUP_FORKS = 3;
    private static final int STARTUP_STARTS = 6;
    private static final List<String> CONTENDED = List.of("oursCircuitBreaker", "oursRetry", "oursBulkhead",
            "oursStacked", "oursOpenWithFallback");
    private static final String TWO_THREADS = ".*\\.(floorNoOpInterceptor|" + String.join("|", CONTENDED)
            + "|r4jCircuitBreaker)$";

    // The rows whose targets compare them within a few nanoseconds: each runs in COMPARED_FORKS forks, because one
    // fork's JIT can lay out the path well or badly (a floor of 33 ns in one fork and 46 +- 31 in another, the
    // breaker with meters 39 ns apart between two runs), and a target read from one fork flipped between runs.
    // The single-policy Mono rows and Resilience4j's too: their ratio swung 6.9x to 14x between one-fork runs.
    private static final List<String> COMPARED = List.of(FLOOR, "floorTimedInterceptor", "oursBulkhead",
            "oursCircuitBreakerMetricsOn", "aspectjStacked", "oursMonoCircuitBreaker", "r4jMonoCircuitBreaker",
            "oursMonoRetry", "r4jMonoRetry", "oursMonoBulkhead", "r4jMonoBulkhead");
    private static final int COMPARED_FORKS = 3;

    // The rows the synchronous targets read; they are checked only when a run has them all.
    private static final List<String> SYNCHRONOUS_TARGET_ROWS = List.of("oursCircuitBreaker", "oursRetry",
            "oursBulkhead", "oursStacked", "oursOpenWithFallback", "oursCircuitBreakerMetricsOn", "oursRetryMetricsOn",
            "oursBulkheadMetricsOn", "r4jStacked", "guardCircuitBreaker", "guardRetry", "guardBulkhead",
            "guardStacked");

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        String variants = args.length > 3 ? "(" + FLOOR + "|" + args[3] + ")" : ".*";
        ChainedOptionsBuilder options = new OptionsBuilder().forks(1).warmupIterations(warmups)
                .warmupTime(TimeValue.seconds(seconds)).measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds)).addProfiler(GCProfiler.class).jvmArgsAppend("-Xmx1g")
                .shouldDoGC(true);
        String selected = ResilienceBenchmark.class.getName() + "\\." + variants + "$";
        String compared = ResilienceBenchmark.class.getName() + "\\.(" + String.join("|", COMPARED) + ")$";
        Map<String, Row> one = new TreeMap<>(); // by name, as JMH orders one run's results
        try {
            one.putAll(rows(new Runner(new OptionsBuilder().parent(options.build()).include(selected)
                    .exclude(compared).threads(1).build()).run()));
        } catch (NoBenchmarksException onlyComparedRowsSelected) {
            // nothing else to run
        }
        for (String row : COMPARED) { // each in several forks, alone: rows(...) keys by name, so no merging needed
            if (row.matches(variants)) {
                one.putAll(rows(new Runner(new OptionsBuilder().parent(options.build()).forks(COMPARED_FORKS)
                        .include(ResilienceBenchmark.class.getName() + "\\." + row + "$").threads(1).build())
                        .run()));
            }
        }
        Map<String, Row> two = args.length > 3 ? Map.of() : rows(new Runner(new OptionsBuilder()
                .parent(options.build()).include(TWO_THREADS).threads(2).build()).run());
        String report = report(one, two);
        if (args.length <= 3 || StartupFootprint.VARIANTS.keySet().stream().anyMatch(name -> name.matches(args[3]))) {
            report += startup();
        }
        report += memoryPerBreaker();
        System.out.println(report);
        Path out = Path.of("target", "benchmark-results.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private record Row(String name, double nanos, double error, double bytes) {
    }

    private static Map<String, Row> rows(Collection<RunResult> results) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            String name = label.substring(label.lastIndexOf('.') + 1);
            Result<?> primary = result.getPrimaryResult();
            Result<?> bytes = result.getSecondaryResults().get("gc.alloc.rate.norm");
            rows.put(name, new Row(name, primary.getScore(), primary.getScoreError(),
                    bytes == null ? Double.NaN : bytes.getScore()));
        }
        return rows;
    }

    private static String report(Map<String, Row> one, Map<String, Row> two) {
        StringBuilder out = new StringBuilder();
        out.append("JDK ").append(System.getProperty("java.version")).append(" (").append(System.getProperty(
                "java.vm.name")).append("), ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(LocalDate.now()).append("; JMH average time, one Spring bean, trivial method\n\n");
        out.append("| variant | threads | ns/op | B/op | × floor |\n|---|---|---|---|---|\n");
        table(out, one, 1);
        table(out, two, 2);
        out.append("\nTargets (issue: Be the fastest)\n\n");
        double floor = one.get(FLOOR).nanos;
        double floorBytes = one.get(FLOOR).bytes;
        List<String> checks = new ArrayList<>();
        if (one.keySet().containsAll(SYNCHRONOUS_TARGET_ROWS)) {
            synchronousChecks(one, two, checks, floor, floorBytes);
        }
        meterChecks(one, checks);
        aspectjChecks(one, checks, floor);
        asynchronousChecks(one, checks);
        checks.forEach(line -> out.append("- ").append(line).append('\n'));
        return out.toString();
    }

    private static void synchronousChecks(Map<String, Row> one, Map<String, Row> two, List<String> checks,
            double floor, double floorBytes) {
        for (String single : List.of("oursCircuitBreaker", "oursRetry", "oursBulkhead")) {
            for (String variant : List.of(single, single + "MetricsOn")) {
                Row row = one.get(variant);
                checks.add(check(variant + " at most 1.5× the floor", row.nanos / floor, 1.5, "×"));
                checks.add(check(variant + " allocates no more than the floor", row.bytes - floorBytes, 0.5,
                        "B/op more"));
            }
        }
        checks.add(check("oursStacked at most 2.5× the floor", one.get("oursStacked").nanos / floor, 2.5, "×"));
        checks.add(checkAtLeast("oursStacked at least 20× faster than r4jStacked",
                one.get("r4jStacked").nanos / one.get("oursStacked").nanos, 20));
        for (String kind : List.of("CircuitBreaker", "Retry", "Bulkhead", "Stacked")) {
            double guard = one.get("guard" + kind).nanos;
            double annotated = one.get("ours" + kind).nanos;
            checks.add(check("guard" + kind + " (guarded in code) costs no more than the annotated ours" + kind,
                    guard / annotated, 1.1, "× the annotated path"));
        }
        checks.add(check("oursOpenWithFallback at most 3× the floor", one.get("oursOpenWithFallback").nanos / floor, 3,
                "×"));
        for (String contended : CONTENDED) {
            if (two.containsKey(contended)) {
                double throughputRatio = 2 * one.get(contended).nanos / two.get(contended).nanos;
                checks.add(checkAtLeast(contended + " on 2 threads: throughput at least 1.7× one thread",
                        throughputRatio, 1.7));
            }
        }
    }

    /**
     * The breaker with meters on against the floor with exactly a per-call timer (two clock reads and one
     * {@code Timer.record}): what the starter adds beyond the timer itself.
     */
    private static void meterChecks(Map<String, Row> one, List<String> checks) {
        Row ours = one.get("oursCircuitBreakerMetricsOn");
        Row timed = one.get("floorTimedInterceptor");
        if (ours != null && timed != null) {
            checks.add(check("oursCircuitBreakerMetricsOn adds under 10 ns beyond floorTimedInterceptor (the proxy, "
                    + "two clock reads and Timer.record)", ours.nanos - timed.nanos, 9.999, "ns more"));
        }
    }

    /** AspectJ mode (compile-time woven, no proxy): each annotation alone and the four stacked, against the floor. */
    private static void aspectjChecks(Map<String, Row> one, List<String> checks, double floor) {
        for (String kind : List.of("CircuitBreaker", "Retry", "Bulkhead", "OpenWithFallback")) {
            Row row = one.get("aspectj" + kind);
            if (row != null) {
                Row proxied = one.get("ours" + kind);
                checks.add(String.format(Locale.ROOT, "INFO aspectj%s: %.2f× the floor%s", kind, row.nanos / floor,
                        proxied == null ? "" : String.format(Locale.ROOT, " (proxied: %.2f×)",
                                proxied.nanos / floor)));
            }
        }
        Row noOp = one.get("aspectjNoOpAround");
        if (noOp != null) {
            checks.add(String.format(Locale.ROOT, "INFO aspectjNoOpAround (AspectJ's own join point, no policy): "
                    + "%.2f× the floor, %.0f B/op", noOp.nanos / floor, noOp.bytes));
        }
        Row stacked = one.get("aspectjStacked");
        if (stacked != null) {
            checks.add(check("aspectjStacked (four annotations, woven) below the bare proxy floor",
                    stacked.nanos / floor, 0.999, "×"));
        }
    }

    /**
     * CompletableFuture and Mono methods: ours at least 10× faster than Resilience4j, and a small constant
     * allocation (200 B/op, the join or block of the benchmark included).
     */
    private static void asynchronousChecks(Map<String, Row> one, List<String> checks) {
        for (String shape : List.of("Future", "Mono")) {
            for (String kind : shape.equals("Future") ? List.of("CircuitBreaker", "Retry", "Bulkhead", "Stacked",
                    "StackedPending") : List.of("CircuitBreaker", "Retry", "Bulkhead", "Stacked")) {
                Row ours = one.get("ours" + shape + kind);
                Row theirs = one.get("r4j" + shape + kind);
                if (ours == null || theirs == null) {
                    continue;
                }
                checks.add(checkAtLeast("ours" + shape + kind + " at least 10× faster than r4j" + shape + kind,
                        theirs.nanos / ours.nanos, 10));
                // Whole bytes: the GC profiler's figure carries a few hundredths of JMH's own allocation per op.
                checks.add(check("ours" + shape + kind + " allocates at most 200 B/op (call and join/block included)",
                        Math.rint(ours.bytes), 200, "B/op"));
            }
        }
    }

    /**
     * Startup with 1,000 guarded methods: each variant started {@value #STARTUP_STARTS} times in each of
     * {@value #STARTUP_FORKS} fresh JVMs (JMH single shot), the first start of a JVM being the cold one a user sees
     * and the later ones warm; and the heap and metaspace one start adds, measured in a fresh JVM per variant.
     */
    private static String startup() throws RunnerException, IOException {
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(StartupBenchmark.class.getName())
                .forks(STARTUP_FORKS).warmupIterations(0).measurementIterations(STARTUP_STARTS)
                .jvmArgsAppend("-Xmx1g").build()).run();
        Map<String, double[]> times = new LinkedHashMap<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            times.put(label.substring(label.lastIndexOf('.') + 1), coldAndWarm(result));
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nStartup: an application with %,d "
                + "guarded methods (%d beans of %d methods, each @CircuitBreaker + @Retry + @Fallback naming its "
                + "bean's instances); cold: the first start in each of %d fresh JVMs, warm: the %d later starts in "
                + "each; heap (after full collections) and metaspace added by one start in a fresh JVM%n%n"
                + "| application | cold start (ms) | warm start (ms) | heap (KB) | metaspace (KB) |%n"
                + "|---|---|---|---|---|%n",
                GeneratedServices.CLASSES * GeneratedServices.METHODS_PER_CLASS, GeneratedServices.CLASSES,
                GeneratedServices.METHODS_PER_CLASS, STARTUP_FORKS, STARTUP_STARTS - 1));
        Map<String, long[]> footprints = new LinkedHashMap<>();
        for (String variant : List.of("startupWithout", "startupProxyFloor", "startupWithStarter", "startupAspectJ",
                "startupMetricsWithout", "startupMetricsWithStarter")) {
            double[] time = times.get(variant);
            long[] footprint = footprint(variant);
            footprints.put(variant, footprint);
            out.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %,d | %,d |%n", variant, time[0], time[1],
                    footprint[0] / 1024, footprint[1] / 1024));
        }
        out.append('\n');
        for (String kind : List.of("", "Metrics")) {
            double[] without = times.get("startup" + kind + "Without");
            double[] with = times.get("startup" + kind + "WithStarter");
            long[] before = footprints.get("startup" + kind + "Without");
            long[] after = footprints.get("startup" + kind + "WithStarter");
            String label = kind.isEmpty() ? "" : " (with Micrometer: every meter bound)";
            out.append("- ").append(check("the starter adds under 100 ms to the cold start of 1,000 guarded methods"
                    + label, with[0] - without[0], 99.999, "ms")).append('\n');
            out.append(String.format(Locale.ROOT, "- INFO the starter adds %.0f ms to a warm start, %,d KB of heap "
                    + "and %,d KB of metaspace%s%n", with[1] - without[1], (after[0] - before[0]) / 1024,
                    (after[1] - before[1]) / 1024, label));
        }
        double[] without = times.get("startupWithout");
        double[] woven = times.get("startupAspectJ");
        out.append("- ").append(check("the starter adds under 100 ms to the cold start of 1,000 guarded methods (AspectJ "
                + "mode: the classes woven at build time, no proxy)", woven[0] - without[0], 99.999, "ms")).append('\n');
        out.append(String.format(Locale.ROOT, "- INFO in AspectJ mode the starter adds %.0f ms to a warm start, %,d KB "
                + "of heap and %,d KB of metaspace%n", woven[1] - without[1],
                (footprints.get("startupAspectJ")[0] - footprints.get("startupWithout")[0]) / 1024,
                (footprints.get("startupAspectJ")[1] - footprints.get("startupWithout")[1]) / 1024));
        double[] floor = times.get("startupProxyFloor");
        double[] with = times.get("startupWithStarter");
        out.append(String.format(Locale.ROOT, "- INFO over the proxy floor (Spring AOP proxying the same beans for a "
                + "no-op interceptor) the starter adds %.0f ms cold and %.0f ms warm%n", with[0] - floor[0],
                with[1] - floor[1]));
        return out.toString();
    }

    /** The mean of each fork's first iteration (cold) and of the later ones (warm), in the benchmark's unit. */
    private static double[] coldAndWarm(RunResult result) {
        double cold = 0;
        double warm = 0;
        int forks = 0;
        int later = 0;
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            boolean first = true;
            for (IterationResult iteration : fork.getIterationResults()) {
                double score = iteration.getPrimaryResult().getScore();
                if (first) {
                    cold += score;
                    forks++;
                    first = false;
                } else {
                    warm += score;
                    later++;
                }
            }
        }
        return new double[] {cold / forks, later == 0 ? Double.NaN : warm / later};
    }

    /** Heap and metaspace bytes that starting {@code variant} adds, in a JVM of its own (see StartupFootprint). */
    private static long[] footprint(String variant) throws IOException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                StartupFootprint.class.getName(), variant).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes()).trim();
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException("StartupFootprint " + variant + " failed: " + output);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        String[] last = output.lines().reduce((first, second) -> second).orElse("").split(" ");
        return new long[] {Long.parseLong(last[0]), Long.parseLong(last[1])};
    }

    /**
     * Heap held per default circuit breaker (count-based window of 100), measured over 10,000 instances made by
     * the registry and kept, between two full collections; not a JMH figure.
     */
    static String memoryPerBreaker() {
        int instances = 10_000;
        CircuitBreakerRegistry registry = new CircuitBreakerRegistry(name -> CircuitBreakerConfig.defaults(),
                Timing.system());
        List<CircuitBreaker> kept = new ArrayList<>(instances);
        long before = usedHeapAfterGc();
        for (int i = 0; i < instances; i++) {
            kept.add(registry.get("breaker-" + i));
        }
        long after = usedHeapAfterGc();
        Reference.reachabilityFence(kept);
        double perBreaker = (after - before) / (double) instances;
        return String.format(Locale.ROOT, "%nMemory (10,000 default breakers in one registry, names included): "
                + "%.0f B per breaker%n- %s%n", perBreaker, check("a default breaker holds under 2 KB",
                        perBreaker, 2048, "B"));
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static void table(StringBuilder out, Map<String, Row> rows, int threads) {
        Row floor = rows.get(FLOOR);
        for (Row row : rows.values()) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %.1f ± %.1f | %.0f | %s |%n", row.name, threads,
                    row.nanos, row.error, row.bytes, floor == null ? "" : String.format(Locale.ROOT, "%.2f",
                            row.nanos / floor.nanos)));
        }
    }

    private static String check(String target, double measured, double limit, String unit) {
        return String.format(Locale.ROOT, "%s %s: %.2f %s", measured <= limit ? "MET" : "NOT MET", target, measured,
                unit);
    }

    private static String checkAtLeast(String target, double measured, double limit) {
        return String.format(Locale.ROOT, "%s %s: %.2f×", measured >= limit ? "MET" : "NOT MET", target, measured);
    }
}
