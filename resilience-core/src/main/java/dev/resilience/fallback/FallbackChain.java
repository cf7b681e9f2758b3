package dev.resilience.fallback;

import dev.resilience.ResilienceException;
import dev.resilience.core.EventSink;
import dev.resilience.core.ExceptionClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fallbacks of one guarded method, tried in order until one succeeds. Built and validated once by
 * {@link FallbackResolver}; calling it does no reflection lookup.
 *
 * <p>A failure that {@code skipOn} names, or that {@code applyOn} does not, propagates unchanged. When every
 * fallback fails, the last fallback's failure propagates with the guarded method's failure and each earlier
 * fallback's failure added to it as suppressed exceptions.
 */
public final class FallbackChain {

    private final String guardedMethod;
    private final List<FallbackMethod> fallbacks;
    private final ExceptionClassifier classifier;
    private final LongAdder successful = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile EventSink events = EventSink.NONE;

    FallbackChain(String guardedMethod, List<FallbackMethod> fallbacks, ExceptionClassifier classifier) {
        this.guardedMethod = guardedMethod;
        this.fallbacks = List.copyOf(fallbacks);
        this.classifier = classifier;
    }

    /** The guarded method as {@code SimpleClassName.methodName}. */
    public String getGuardedMethod() {
        return guardedMethod;
    }

    /** Fallback calls that answered since startup. */
    public long getSuccessfulCalls() {
        return successful.sum();
    }

    /** Fallback calls that failed since startup. */
    public long getFailedCalls() {
        return failed.sum();
    }

    /** Receives each fallback that answered, with the failure it answered; replaces any previous sink. */
    public void setEventSink(EventSink sink) {
        this.events = Objects.requireNonNull(sink, "sink");
    }

    private void answered(FallbackMethod fallback, Throwable failure) {
        successful.increment();
        EventSink sink = events;
        if (sink != EventSink.NONE) {
            sink.publish("fallback", guardedMethod, "FALLBACK", failure);
        }
    }

    /** Whether the chain handles {@code failure} (applyOn matches and skipOn does not). */
    public boolean appliesTo(Throwable failure) {
        return classifier.includes(failure);
    }

    /**
     * Answers for a guarded method that failed synchronously.
     *
     * @throws Throwable {@code failure} itself when the chain does not apply, else the last fallback's failure
     */
    public Object recover(Object target, Object[] arguments, Throwable failure) throws Throwable {
        if (!appliesTo(failure)) {
            throw failure;
        }
        List<Throwable> failures = null;
        for (int i = 0; i < fallbacks.size(); i++) {
            FallbackMethod fallback = fallbacks.get(i);
            if (!fallback.accepts(failure)) {
                continue;
            }
            try {
                Object result = fallback.invoke(target, arguments, failure);
                answered(fallback, failure);
                return result;
            } catch (Throwable fallbackFailure) {
                failed.increment();
                failures = failures == null ? new ArrayList<>(List.of(failure)) : failures;
                failures.add(fallbackFailure);
            }
        }
        throw exhausted(failure, failures);
    }

    /**
     * Answers for a guarded method whose stage failed. A fallback may return a value or a stage; a stage
     * that fails counts as that fallback failing. Each fallback receives the failure itself, never a
     * {@link CompletionException}.
     */
    public CompletionStage<Object> recoverAsync(Object target, Object[] arguments, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (!appliesTo(cause)) {
            return CompletableFuture.failedFuture(cause);
        }
        return attempt(0, target, arguments, cause, null);
    }

    private CompletionStage<Object> attempt(int index, Object target, Object[] arguments, Throwable failure,
            List<Throwable> failures) {
        int next = index;
        while (next < fallbacks.size() && !fallbacks.get(next).accepts(failure)) {
            next++;
        }
        if (next == fallbacks.size()) {
            return CompletableFuture.failedFuture(exhausted(failure, failures));
        }
        int current = next;
        CompletionStage<Object> stage;
        try {
            Object result = fallbacks.get(current).invoke(target, arguments, failure);
            stage = result instanceof CompletionStage<?> async ? cast(async) : CompletableFuture.completedFuture(result);
        } catch (Throwable fallbackFailure) {
            stage = CompletableFuture.failedFuture(fallbackFailure);
        }
        return stage.handle((result, fallbackFailure) -> {
            if (fallbackFailure == null) {
                answered(fallbacks.get(current), failure);
                return CompletableFuture.completedFuture(result);
            }
            failed.increment();
            List<Throwable> all = failures == null ? new ArrayList<>(List.of(failure)) : failures;
            all.add(unwrap(fallbackFailure));
            return attempt(current + 1, target, arguments, failure, all);
        }).thenCompose(stageOfResult -> stageOfResult);
    }

    /** The last fallback's failure, carrying the guarded failure and earlier ones; or the guarded failure alone. */
    private static Throwable exhausted(Throwable failure, List<Throwable> failures) {
        if (failures == null) {
            return failure;
        }
        Throwable thrown = failures.get(failures.size() - 1);
        Throwable last = thrown instanceof ResilienceException rejection ? rejection.unshared() : thrown;
        for (Throwable earlier : failures.subList(0, failures.size() - 1)) {
            if (earlier != thrown) {
                last.addSuppressed(earlier);
            }
        }
        return last;
    }

    @SuppressWarnings("unchecked")
    private static CompletionStage<Object> cast(CompletionStage<?> stage) {
        return (CompletionStage<Object>) stage;
    }

    /** The failure inside the wrappers that {@link CompletableFuture} adds. */
    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    @Override
    public String toString() {
        return "FallbackChain[" + guardedMethod + " -> " + fallbacks.stream().map(FallbackMethod::name).toList() + "]";
    }
}
