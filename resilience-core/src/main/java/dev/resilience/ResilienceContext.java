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
 * so that they pay nothing for it. Calls returning a {@code CompletionStage} or a Reactor type do not set it: their
 * answer is decided later, often on another thread. For them, {@linkplain #capture() arm a capture} right before
 * the call and read it once the answer is there:
 *
 * <pre>{@code
 * ResilienceContext.Capture capture = ResilienceContext.capture();   // the next @LastKnownGood call takes it
 * return prices.priceAsync(sku)                                       // CompletionStage, Mono or Flux
 *         .thenApply(price -> capture.lastCall().servedStale() ? price.markedStale(capture.lastCall().staleAge())
 *                 : price);
 * }</pre>
 */
public final class ResilienceContext {

    private static final ThreadLocal<LastCall> LAST_CALL = new ThreadLocal<>();
    private static final ThreadLocal<Capture> ARMED = new ThreadLocal<>();

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
     * Arms a capture on the calling thread: the thread's next call through {@code @LastKnownGood}, whatever it
     * returns, takes it (disarming it) and records in it how it was answered, before the answer reaches the caller:
     * before its {@code CompletionStage} completes, before a {@code Mono}/{@code Flux} emits (at each
     * subscription, the latest wins). So a continuation on any thread, chained to that call's answer, reads the
     * outcome from the capture. Arm it right before the call, on the thread that makes the call.
     */
    public static Capture capture() {
        Capture capture = new Capture();
        ARMED.set(capture);
        return capture;
    }

    /** The capture armed on the calling thread, disarmed, or {@code null}; used by the starter's pipelines. */
    public static Capture takeCapture() {
        Capture capture = ARMED.get();
        if (capture != null) {
            ARMED.remove();
        }
        return capture;
    }

    /**
     * How one call, possibly asynchronous, was answered; see {@link #capture()}. Safe to read from any thread: it is
     * recorded before the answer is handed on, so whatever sees the answer sees the record.
     */
    public static final class Capture {
        private volatile LastCall call;

        Capture() {
        }

        /** How the call was answered; {@link LastCall#LIVE} until it was (and for a live answer). */
        public LastCall lastCall() {
            LastCall recorded = call;
            return recorded == null ? LastCall.LIVE : recorded;
        }

        /** Whether the call has been answered (or failed) yet. */
        public boolean isRecorded() {
            return call != null;
        }

        /** Records the outcome; used by the starter's pipelines. */
        public void record(LastCall outcome) {
            this.call = Objects.requireNonNull(outcome, "outcome");
        }

        @Override
        public String toString() {
            return "Capture[" + call + "]";
        }
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
