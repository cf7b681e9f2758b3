package dev.resilience.core;

import java.util.Objects;

/**
 * A {@code record-result} or {@code retry-on-result} predicate threw instead of answering (most often a
 * {@link ClassCastException}: a predicate of another type than the method's results). The call then fails with
 * this exception, which names the instance and the predicate and carries the predicate's own failure as its cause;
 * a retry does not retry it unless its {@code retry-exceptions} name this class.
 *
 * <p>It is not a rejection ({@link dev.resilience.ResilienceException}): the policy could not judge the result,
 * because its configuration is wrong.
 */
public final class ResultPredicateException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String instanceName;

    /**
     * @param policy what the predicate belongs to, e.g. {@code circuit breaker}
     * @param instanceName the instance's name
     * @param property the property that names the predicate, e.g. {@code record-result}
     * @param predicate the predicate that failed
     * @param result the result it was given
     * @param cause what it threw
     */
    public ResultPredicateException(String policy, String instanceName, String property, Object predicate,
            Object result, Throwable cause) {
        super("The " + property + " predicate " + describe(predicate) + " of " + policy + " '" + instanceName
                + "' failed on a result of type " + (result == null ? "null" : result.getClass().getName()) + ": "
                + cause, cause);
        this.instanceName = Objects.requireNonNull(instanceName, "instanceName");
    }

    /** The name of the instance whose predicate failed. */
    public String getInstanceName() {
        return instanceName;
    }

    /** The predicate's own description when it has one (a {@code toString} of its own), else its class. */
    static String describe(Object predicate) {
        try {
            if (predicate.getClass().getMethod("toString").getDeclaringClass() != Object.class) {
                return String.valueOf(predicate);
            }
        } catch (NoSuchMethodException | RuntimeException ignored) {
            // fall back to the class
        }
        return predicate.getClass().getName();
    }
}
