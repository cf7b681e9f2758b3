package dev.resilience.circuitbreaker;

/** Sees the outcome and duration of every call a breaker recorded; metrics bind one. */
@FunctionalInterface
public interface CallObserver {

    /** How the breaker counted a call. */
    enum Outcome { SUCCESSFUL, FAILED, IGNORED }

    void onCall(Outcome outcome, long durationNanos);

    /** An observer that tells {@code first}, then {@code second}. */
    static CallObserver both(CallObserver first, CallObserver second) {
        return (outcome, durationNanos) -> {
            first.onCall(outcome, durationNanos);
            second.onCall(outcome, durationNanos);
        };
    }
}
