package dev.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * What the calling thread's latest synchronous call through {@code @LastKnownGood} answered: a live result or a
 * stored one, and its age. A controller reads it to add a header or a "this answer may be out of date" note.
 *
 * <pre>{@code
 * Price price = prices.price(sku);
 * ResilienceContext.LastCall call = ResilienceContext.lastCall();
 * if (call.servedStale()) {
 *     response.setHeader("Warning", "110 - \"stale for " + call.staleAge().toSeconds() + " s\"");
 * }
 * }</pre>
 *
 * <p>It is set on the calling thread right after such a call returns or throws, and holds until the thread's next
 * one; a thread that made none reads {@link LastCall#LIVE}. Methods without {@code @LastKnownGood} leave it alone,
 * so that they pay nothing for it. Calls returning a {@code CompletionStage} or a Reactor type do not set it.
 */
public final class ResilienceContext {

    private static final ThreadLocal<LastCall> LAST_CALL = new ThreadLocal<>();

    private ResilienceContext() {
    }

    /** The calling thread's latest synchronous {@code @LastKnownGood} call; {@link LastCall#LIVE} before any. */
    public static LastCall lastCall() {
        LastCall call = LAST_CALL.get();
        return call == null ? LastCall.LIVE : call;
    }

    /** Records the outcome of a call on the calling thread; used by the starter's pipelines. */
    public static void setLastCall(LastCall call) {
        LAST_CALL.set(Objects.requireNonNull(call, "call"));
    }

    /**
     * How a call was answered.
     *
     * @param servedStale whether a stored answer was served because the call failed
     * @param staleAge the stored answer's age; zero when the answer was live
     */
    public record LastCall(boolean servedStale, Duration staleAge) {

        /** A live answer (or a failure that was not answered from the store). */
        public static final LastCall LIVE = new LastCall(false, Duration.ZERO);

        public LastCall {
            Objects.requireNonNull(staleAge, "staleAge");
        }

        /** A stored answer of the given age. */
        public static LastCall stale(Duration age) {
            return new LastCall(true, age);
        }
    }
}
