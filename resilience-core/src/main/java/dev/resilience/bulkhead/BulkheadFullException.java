package dev.resilience.bulkhead;

import dev.resilience.ResilienceException;

/** A call was rejected because its bulkhead had no free slot within {@code max-wait-duration}. */
public final class BulkheadFullException extends ResilienceException {

    public BulkheadFullException(String name, String reason) {
        super(name, "Bulkhead '" + name + "' is full: " + reason);
    }
}
