package dev.resilience.fallback;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * One resolved fallback: a method with the guarded method's parameters, optionally followed by one
 * parameter that receives the failure.
 */
final class FallbackMethod {

    private final Method method;
    private final Class<?> failureType;

    FallbackMethod(Method method, Class<?> failureType) {
        this.method = method;
        this.failureType = failureType;
        method.setAccessible(true);
    }

    /** Whether it can receive {@code failure} (always, when it takes no failure parameter). */
    boolean accepts(Throwable failure) {
        return failureType == null || failureType.isInstance(failure);
    }

    Object invoke(Object target, Object[] arguments, Throwable failure) throws Throwable {
        Object[] actual = arguments;
        if (failureType != null) {
            actual = new Object[arguments.length + 1];
            System.arraycopy(arguments, 0, actual, 0, arguments.length);
            actual[arguments.length] = failure;
        }
        try {
            return method.invoke(target, actual);
        } catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

    Method method() {
        return method;
    }
}
