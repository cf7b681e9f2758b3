package dev.resilience.degradation;

/** How degraded the application is, from the open breakers and their criticality. */
public enum DegradationLevel {
    /** No breaker is open. */
    NONE,
    /** Only optional dependencies are unavailable. */
    MINOR,
    /** An important dependency is unavailable. */
    MAJOR,
    /** A critical dependency is unavailable. */
    CRITICAL
}
