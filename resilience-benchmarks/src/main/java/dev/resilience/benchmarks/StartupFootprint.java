package dev.resilience.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Run in a fresh JVM per variant (see {@link BenchmarkMain}): prints the heap (after full collections) and the
 * metaspace that starting one startup application ({@link GeneratedServices}) adds to the JVM, as
 * {@code <heap bytes> <metaspace bytes>}. What a variant with the starter adds over the same variant without it is
 * the starter's footprint: its beans, pipelines, instances and meters, and the caches and classes they fill.
 */
public final class StartupFootprint {

    static final Map<String, Class<?>> VARIANTS = Map.of(
            "startupWithout", Apps.StartupWithout.class,
            "startupProxyFloor", Apps.StartupProxyFloor.class,
            "startupWithStarter", Apps.StartupWithStarter.class,
            "startupAspectJ", Apps.StartupAspectJ.class,
            "startupWovenWithout", Apps.StartupWovenWithout.class,
            "startupMetricsWithout", Apps.StartupMetricsWithout.class,
            "startupMetricsWithStarter", Apps.StartupMetricsWithStarter.class);

    private StartupFootprint() {
    }

    public static void main(String[] args) {
        Class<?> variant = VARIANTS.get(args[0]);
        List<Class<?>> beans = Apps.startupBeans(variant);
        long heap = usedHeapAfterGc();
        long metaspace = metaspace();
        try (ConfigurableApplicationContext context = Apps.startWith(variant, beans)) {
            System.out.println((usedHeapAfterGc() - heap) + " " + (metaspace() - metaspace));
        }
    }

    static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long metaspace() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> "Metaspace".equals(pool.getName()))
                .mapToLong(pool -> pool.getUsage().getUsed()).sum();
    }
}
