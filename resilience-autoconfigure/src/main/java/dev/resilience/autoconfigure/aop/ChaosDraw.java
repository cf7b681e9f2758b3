package dev.resilience.autoconfigure.aop;

import dev.resilience.chaos.Chaos;

/**
 * What one call's fault injection drew, for the paths that wait for an injected latency instead of sleeping
 * (CompletionStage and Reactor): the latencies of all the call's chaos instances added up, and the first failure
 * drawn (an instance draws none once an earlier one has).
 *
 * @param latencyNanos how long to delay the call; 0 for none
 * @param failure the failure to end the call with, or {@code null} to call the method
 */
record ChaosDraw(long latencyNanos, Throwable failure) {

    /** Draws for one call; {@code null} when nothing was drawn, so that a call without a fault allocates nothing. */
    static ChaosDraw of(Chaos[] chaos) {
        long latency = 0;
        Throwable failure = null;
        for (Chaos each : chaos) {
            latency += each.drawLatencyNanos();
            failure = failure != null ? failure : each.drawFailure();
        }
        return latency == 0 && failure == null ? null : new ChaosDraw(latency, failure);
    }
}
