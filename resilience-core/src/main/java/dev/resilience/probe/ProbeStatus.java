package dev.resilience.probe;

/** What a dependency probe last decided about its dependency. */
public enum ProbeStatus {
    /** Not decided yet: fewer consecutive results than a threshold since the probe started. */
    UNKNOWN,
    /** {@code success-threshold} consecutive checks succeeded. */
    UP,
    /** {@code failure-threshold} consecutive checks failed. */
    DOWN
}
