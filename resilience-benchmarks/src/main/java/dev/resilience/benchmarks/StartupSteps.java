package dev.resilience.benchmarks;

import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;

/**
 * Starts one startup application ({@link GeneratedServices}) in this JVM, as a cold start, and prints the CPU time
 * the main thread spent in each of Spring's startup steps (a bean's creation, a post-processor, the parsing of the
 * configuration classes), in microseconds: {@code <total> <self> <step>}, the first line the whole start, the
 * second its wall-clock time (what the benchmark rows measure). CPU time
 * of one thread barely moves when other processes load the machine, unlike the wall time the benchmark rows
 * measure, so comparing two builds (run each several times, alternating) shows where a change saves. The generated
 * beans' steps are summed as {@code SERVICE}. Run: {@code java -cp ... StartupSteps startupWithStarter}.
 */
public final class StartupSteps {

    private StartupSteps() {
    }

    public static void main(String[] args) {
        Class<?> variant = StartupFootprint.VARIANTS.get(args[0]);
        List<Class<?>> beans = Apps.startupBeans(variant);
        CpuSteps steps = new CpuSteps(Thread.currentThread());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long began = System.nanoTime();
        try (ConfigurableApplicationContext context = Apps.startWith(variant, beans,
                steps)) {
            long all = (threads.getCurrentThreadCpuTime() - start) / 1_000;
            long wall = (System.nanoTime() - began) / 1_000;
            System.out.println(all + "\t" + all + "\tALL");
            System.out.println(wall + "\t" + wall + "\tWALL");
            steps.totals.forEach((key, times) -> System.out.println(times[0] / 1_000 + "\t" + times[1] / 1_000 + "\t"
                    + key));
            checkGuarded(context, variant, beans);
        }
    }

    /**
     * Fails unless the start is what it stands for (after the measurement): the classes are woven for the AspectJ
     * variants and only for them, the proxy floor's beans are proxies, and a start with the starter has its 100
     * breakers and guards the generated methods (a call through a forced-open breaker answers the fallback's -1). A
     * start measured without its proxies, weaving or guards (a woven class not linked to its pipeline, say, or an
     * ahead-of-time start missing a bean) would time the wrong thing.
     */
    private static void checkGuarded(ConfigurableApplicationContext context, Class<?> variant, List<Class<?>> beans) {
        Object first = context.getBean(beans.get(0));
        if (variant == Apps.StartupProxyFloor.class && !AopUtils.isAopProxy(first)) {
            throw new IllegalStateException("The proxy floor's start made no proxy of " + beans.get(0));
        }
        boolean woven = Arrays.stream(beans.get(0).getDeclaredFields())
                .anyMatch(field -> field.getName().startsWith("ajc$tjp_"));
        if (woven != Apps.startsWoven(variant)) {
            throw new IllegalStateException("The start of " + variant.getSimpleName() + " loaded "
                    + (woven ? "woven" : "unwoven") + " classes (" + beans.get(0) + " from "
                    + beans.get(0).getProtectionDomain().getCodeSource().getLocation() + ")");
        }
        CircuitBreakerRegistry breakers = context.getBeanProvider(CircuitBreakerRegistry.class).getIfAvailable();
        if (breakers == null) {
            return;
        }
        int created = breakers.all().size();
        breakers.find("service0").orElseThrow(() -> new IllegalStateException("The start has no breaker service0"))
                .transitionToForcedOpen();
        try {
            Object answer = first.getClass().getMethod("call0", String.class).invoke(first, "key");
            if (created != GeneratedServices.CLASSES || !Integer.valueOf(-1).equals(answer)) {
                throw new IllegalStateException("The start is not guarded: " + created
                        + " breakers, a call through a forced-open breaker answered " + answer);
            }
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Records the main thread's CPU time per step, total and without the steps nested in it. */
    private static final class CpuSteps implements ApplicationStartup {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final Thread main;
        private final Deque<Step> open = new ArrayDeque<>();
        final Map<String, long[]> totals = new LinkedHashMap<>();

        CpuSteps(Thread main) {
            this.main = main;
        }

        @Override
        public StartupStep start(String name) {
            // Steps on other threads (none in these applications) would not nest with the main thread's.
            Step step = new Step(name, Thread.currentThread() == main);
            if (step.timed) {
                open.push(step);
            }
            return step;
        }

        private final class Step implements StartupStep {
            private final String name;
            private final boolean timed;
            private final long start;
            private String key;
            private long nested;

            Step(String name, boolean timed) {
                this.name = name;
                this.timed = timed;
                this.key = name;
                this.start = timed ? threads.getCurrentThreadCpuTime() : 0;
            }

            @Override
            public String getName() {
                return name;
            }

            @Override
            public long getId() {
                return 0;
            }

            @Override
            public Long getParentId() {
                return null;
            }

            @Override
            public StartupStep tag(String tag, String value) {
                if (tag.equals("beanName") || tag.equals("postProcessor")) {
                    // A post-processor's tag is its toString(), identity hash included: dropped, so runs compare.
                    String shown = value.replaceAll("@[0-9a-f]+$", "");
                    key = name + " " + (shown.matches("service\\d+") ? "SERVICE" : shown);
                }
                return this;
            }

            @Override
            public StartupStep tag(String tag, Supplier<String> value) {
                return tag(tag, value.get());
            }

            @Override
            public Tags getTags() {
                return Collections::emptyIterator;
            }

            @Override
            public void end() {
                if (!timed) {
                    return;
                }
                long total = threads.getCurrentThreadCpuTime() - start;
                open.pop();
                if (!open.isEmpty()) {
                    open.peek().nested += total;
                }
                long[] times = totals.computeIfAbsent(key, ignored -> new long[2]);
                times[0] += total;
                times[1] += total - nested;
            }
        }
    }
}
