package dev.resilience.probe;

/**
 * One check of a dependency: returns when the dependency answered as it should, throws when it did not. It runs
 * on a worker thread and is interrupted when it outlasts the probe's {@code timeout}.
 */
@FunctionalInterface
public interface ProbeCheck {

    void check() throws Exception;

    /** A check that fails when {@code healthy} answers false. */
    static ProbeCheck of(java.util.concurrent.Callable<Boolean> healthy) {
        return () -> {
            if (!Boolean.TRUE.equals(healthy.call())) {
                throw new ProbeFailedException("the check answered false");
            }
        };
    }
}
