package dev.resilience.autoconfigure.observation;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.MDC;

/**
 * Carries the calling thread's context to the starter's threads where a call goes on: every thread-local value
 * registered with Micrometer's context-propagation library (the current observation and so the trace, a security
 * context where an accessor for it is registered, your own) and the SLF4J MDC. Captured when the work is handed
 * over, on the thread that hands it over; restored around the work on the thread that runs it, and that thread's
 * own values are put back afterwards.
 */
public final class ContextCarrier implements Supplier<UnaryOperator<Runnable>> {

    private final ContextSnapshotFactory snapshots;

    public ContextCarrier(ContextSnapshotFactory snapshots) {
        this.snapshots = snapshots;
    }

    /** The calling thread's context as it is now: wraps a task to run with it, on whichever thread. */
    @Override
    public UnaryOperator<Runnable> get() {
        ContextSnapshot snapshot = snapshots.captureAll();
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        return task -> () -> {
            Map<String, String> own = MDC.getCopyOfContextMap();
            setMdc(mdc);
            // After the MDC: a restored trace writes its own ids into the MDC.
            try (ContextSnapshot.Scope scope = snapshot.setThreadLocals()) {
                task.run();
            } finally {
                setMdc(own);
            }
        };
    }

    private static void setMdc(Map<String, String> values) {
        if (values == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(values);
        }
    }

    /** {@code executor}, running each task it is given with the context of the thread that gave it. */
    public ExecutorService wrap(ExecutorService executor) {
        return new CarryingExecutor(executor, this);
    }

    /** Wraps each task; submit() and the rest go through execute(). Shutting it down shuts the executor down. */
    private static final class CarryingExecutor extends AbstractExecutorService {
        private final ExecutorService executor;
        private final ContextCarrier carrier;

        CarryingExecutor(ExecutorService executor, ContextCarrier carrier) {
            this.executor = executor;
            this.carrier = carrier;
        }

        @Override
        public void execute(Runnable command) {
            executor.execute(carrier.get().apply(command));
        }

        @Override
        public void shutdown() {
            executor.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return executor.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return executor.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return executor.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return executor.awaitTermination(timeout, unit);
        }
    }
}
