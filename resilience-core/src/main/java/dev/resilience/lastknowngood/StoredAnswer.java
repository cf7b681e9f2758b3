package dev.resilience.lastknowngood;

import java.io.Serializable;
import java.time.Instant;

/**
 * One stored result with the time it was stored, so that its age does not depend on the cache's own expiry.
 * Serializable (unlike policies) because it travels through whatever cache the application has, Redis or a disk
 * tier included; the value must then be serializable too. The time is kept as epoch milliseconds, so that storing
 * a result allocates this record and nothing more (the {@code resilience-benchmarks} row
 * {@code oursLastKnownGood}: 24 B per call fewer than with an {@code Instant}), and a JSON serializer writes a
 * plain number.
 *
 * @param value the method's result; may be {@code null}
 * @param storedAtMillis when it was stored, by the wall clock, in milliseconds since the epoch (an entry may
 *        outlive the process or come from a replica)
 */
public record StoredAnswer(Object value, long storedAtMillis) implements Serializable {

    private static final long serialVersionUID = 2L;

    /** When it was stored. */
    public Instant storedAt() {
        return Instant.ofEpochMilli(storedAtMillis);
    }
}
