package dev.resilience.autoconfigure.observation;

import dev.resilience.core.GuardedCallObserver.CallOutcome;
import io.micrometer.observation.Observation;

/**
 * What the observation of one guarded call knows: the instance and method it guards, how many attempts it took so
 * far, and, once it has ended, its outcome. A {@link ResilienceObservationConvention} turns it into key values.
 */
public final class ResilienceObservationContext extends Observation.Context {

    private final String instance;
    private final String guardedMethod;
    private volatile int attempts = 1;
    private volatile CallOutcome outcome;

    /**
     * @param instance the instance name the call is known by (the method's first instance, or the guard's name)
     * @param guardedMethod {@code SimpleClassName.methodName}, or {@code guard:<name>} for a guard built in code
     */
    public ResilienceObservationContext(String instance, String guardedMethod) {
        this.instance = instance;
        this.guardedMethod = guardedMethod;
    }

    /** The instance name the call is known by: the method's first instance, or the guard's name. */
    public String getInstance() {
        return instance;
    }

    /** The guarded method, {@code SimpleClassName.methodName}, or {@code guard:<name>}. */
    public String getGuardedMethod() {
        return guardedMethod;
    }

    /** The attempts made so far: 1, plus one for each retry. */
    public int getAttempts() {
        return attempts;
    }

    void setAttempts(int attempts) {
        this.attempts = attempts;
    }

    /** How the call ended; {@code null} until it has. */
    public CallOutcome getOutcome() {
        return outcome;
    }

    void setOutcome(CallOutcome outcome) {
        this.outcome = outcome;
    }
}
