package dev.resilience.circuitbreaker;

/** How much the application suffers while a breaker is open; drives the degradation level and health. */
public enum Criticality {
    /** The application works fully without it: an open breaker means a MINOR degradation. */
    OPTIONAL,
    /** Part of the application is impaired: an open breaker means a MAJOR degradation. */
    IMPORTANT,
    /** The application cannot serve: an open breaker means a CRITICAL degradation and DOWN. */
    CRITICAL
}
