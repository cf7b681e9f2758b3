package dev.resilience.lastknowngood;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One stored result with the time it was stored, so that its age does not depend on the cache's own expiry.
 * Serializable (unlike policies) because it travels through whatever cache the application has, Redis or a disk
 * tier included; the value must then be serializable too.
 *
 * @param value the method's result; may be {@code null}
 * @param storedAt when it was stored, by the wall clock (an entry may outlive the process or come from a replica)
 */
public record StoredAnswer(Object value, Instant storedAt) implements Serializable {

    private static final long serialVersionUID = 1L;

    public StoredAnswer {
        Objects.requireNonNull(storedAt, "storedAt");
    }
}
