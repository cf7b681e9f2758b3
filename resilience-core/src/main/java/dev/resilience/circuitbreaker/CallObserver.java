package dev.resilience.circuitbreaker;

/** Sees the outcome and duration of every call a breaker recorded; metrics bind one. */
@FunctionalInterface
public interface CallObserver {

    /** How the breaker counted a call. */
    enum Outcome { SUCCESSFUL, FAILED, IGNORED }

    void onCall(Outcome outcome, long durationNanos);
}
