package dev.resilience;

/**
 * Base of every rejection the library itself raises (an open breaker, a full bulkhead, ...).
 * A failure thrown by the guarded code is never wrapped in one of these.
 *
 * <p>Rejections are frequent exactly when a system is under stress, so they carry no stack trace and build
 * their message only when it is read: the instance name and the message say where they came from. A policy may
 * throw one shared instance for a repeated rejection; such an instance ignores {@link #addSuppressed}.
 */
public abstract class ResilienceException extends RuntimeException {

    private final String instanceName;

    protected ResilienceException(String instanceName) {
        this(instanceName, true);
    }

    /**
     * @param enableSuppression {@code false} for an instance thrown again and again (one per state, say), which
     *        must not collect suppressed exceptions from every thread that ever caught it
     */
    protected ResilienceException(String instanceName, boolean enableSuppression) {
        super(null, null, enableSuppression, false);
        this.instanceName = instanceName;
    }

    /**
     * This rejection, or a copy of it that keeps suppressed exceptions when this one is a shared instance; for
     * code that adds suppressed exceptions to a rejection it did not make.
     */
    public ResilienceException unshared() {
        return this;
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
