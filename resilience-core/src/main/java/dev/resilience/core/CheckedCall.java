package dev.resilience.core;

/**
 * A call that may throw anything, such as a proxied method invocation.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface CheckedCall<T> {

    T call() throws Throwable;
}
