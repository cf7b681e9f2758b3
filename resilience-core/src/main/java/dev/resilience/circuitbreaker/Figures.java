package dev.resilience.circuitbreaker;

/**
 * The counts a breaker shows at one moment, and from how many calls its rates are assessed: a reading of a live
 * window, or the frozen figures of the window that decided a transition.
 *
 * @param calls calls counted
 * @param failed failed calls among them
 * @param slow slow calls among them
 * @param slowFailed calls both slow and failed
 * @param assessedFrom the fewest calls whose rates are assessed; below it the rates read -1
 */
record Figures(int calls, int failed, int slow, int slowFailed, int assessedFrom) {

    /** The figures of {@code window} at {@code nowNanos}. */
    static Figures of(Window window, long nowNanos, int assessedFrom) {
        return new Figures(window.calls(nowNanos), window.failed(nowNanos), window.slow(nowNanos),
                window.slowFailed(nowNanos), assessedFrom);
    }

    CircuitBreakerMetrics metrics(long notPermittedCalls) {
        return new CircuitBreakerMetrics(rate(failed), rate(slow), calls, failed, slow, slowFailed, notPermittedCalls);
    }

    private float rate(int count) {
        return calls < assessedFrom || calls == 0 ? -1f : count * 100f / calls;
    }
}
