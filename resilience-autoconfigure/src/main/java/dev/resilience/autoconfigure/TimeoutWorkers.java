package dev.resilience.autoconfigure;

import dev.resilience.core.Workers;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * The threads that run synchronous calls under {@code @Timeout}, so that their callers can be answered at the
 * deadline. Closed with the context (calls still running are interrupted).
 *
 * <p>Deliberately not an {@link java.util.concurrent.Executor}: Boot's {@code applicationTaskExecutor} backs off
 * when the context has any {@code Executor} bean, and {@code @Async} and MVC async would then lose the executor
 * configured with {@code spring.task.execution.*}. Define a bean of this type to run timed calls on threads of
 * your own:
 *
 * <pre>{@code
 * @Bean
 * TimeoutWorkers resilienceTimeoutWorkers() {
 *     return new TimeoutWorkers(Executors.newFixedThreadPool(64));
 * }
 * }</pre>
 */
public final class TimeoutWorkers implements AutoCloseable {

    private final ExecutorService executor;

    /** @param executor runs the timed calls; shut down when the context closes */
    public TimeoutWorkers(ExecutorService executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * A virtual thread per call when {@code virtualThreads} is requested and the JDK has them (21 and later),
     * otherwise a cached pool of platform daemon threads named {@code resilience-timeout-N}.
     */
    public static TimeoutWorkers create(boolean virtualThreads) {
        return new TimeoutWorkers(Workers.forTimeouts(virtualThreads));
    }

    /** The executor the timed calls run on. */
    public ExecutorService executor() {
        return executor;
    }

    /** Stops the workers, interrupting the calls still running. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
