package dev.resilience.bulkhead;

import dev.resilience.ResilienceException;

/** A call was rejected because its bulkhead had no free slot within {@code max-wait-duration}. */
public final class BulkheadFullException extends ResilienceException {

    private final String reason;

    public BulkheadFullException(String name, String reason) {
        super(name);
        this.reason = reason;
    }

    @Override
    protected String describe() {
        return "Bulkhead '" + getInstanceName() + "' is full: " + reason;
    }
}
