package dev.resilience.timeout;

import dev.resilience.ResilienceException;
import java.time.Duration;

/** A call did not finish within its {@code timeout-duration}. */
public final class CallTimeoutException extends ResilienceException {

    private final Duration timeout;

    public CallTimeoutException(String name, Duration timeout) {
        super(name);
        this.timeout = timeout;
    }

    @Override
    protected String describe() {
        return "Call guarded by timeout '" + getInstanceName() + "' did not finish within " + timeout;
    }
}
