package dev.resilience;

/**
 * Base of every rejection the library itself raises (an open breaker, a full bulkhead, ...).
 * A failure thrown by the guarded code is never wrapped in one of these.
 *
 * <p>Rejections are frequent exactly when a system is under stress, so they carry no stack trace and build
 * their message only when it is read: the instance name and the message say where they came from.
 */
public abstract class ResilienceException extends RuntimeException {

    private final String instanceName;

    protected ResilienceException(String instanceName) {
        super(null, null, true, false);
        this.instanceName = instanceName;
    }

    /** The message, built when first asked for. */
    @Override
    public String getMessage() {
        return describe();
    }

    /** Describes the rejection; called only when the message is read. */
    protected abstract String describe();

    /** The name of the instance (breaker, bulkhead, ...) that rejected the call. */
    public String getInstanceName() {
        return instanceName;
    }
}
