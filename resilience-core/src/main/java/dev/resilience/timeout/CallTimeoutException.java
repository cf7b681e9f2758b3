package dev.resilience.timeout;

import dev.resilience.ResilienceException;
import java.time.Duration;

/** A call did not finish within its {@code timeout-duration}. */
public final class CallTimeoutException extends ResilienceException {

    public CallTimeoutException(String name, Duration timeout) {
        super(name, "Call guarded by timeout '" + name + "' did not finish within " + timeout);
    }
}
