package dev.resilience.fallback;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.function.Function;

/**
 * One resolved fallback: a method with the guarded method's parameters, optionally followed by one
 * parameter that receives the failure, or a function of the failure given in code. It is called through a
 * method handle shaped once to {@code (target, arguments, failure)}: a call neither looks anything up nor copies
 * the arguments.
 *
 * <p>A resolved method's handle is shaped at its first call, not when it is resolved: an application resolves
 * every fallback at startup (one per guarded method) and shaping takes a few method-handle transformations
 * each, while most fallbacks are never called. What can fail (the signature, the access) is still checked when
 * it is resolved.
 */
final class FallbackMethod {

    private static final MethodType SHAPE = MethodType.methodType(Object.class, Object.class, Object[].class,
            Object.class);

    private static final MethodHandle APPLY = apply();

    private final Method method;
    private final String name;
    private final Class<?> failureType;
    // Shaped at the first call (see above); racy but benign, as String's hash: every thread that shapes it
    // shapes an equal handle, and a MethodHandle is immutable (final fields), so it is safely published.
    private MethodHandle handle;

    FallbackMethod(Method method, Class<?> failureType) {
        this.method = method;
        this.name = method.getName();
        this.failureType = failureType;
        method.setAccessible(true);
    }

    /** A fallback given in code: {@code function} receives the failure and answers for the call. */
    FallbackMethod(String name, Function<? super Throwable, ?> function) {
        this.method = null;
        this.name = name;
        this.failureType = null;
        this.handle = MethodHandles.dropArguments(APPLY.bindTo(function), 0, Object.class, Object[].class);
    }

    private static MethodHandle apply() {
        try {
            return MethodHandles.publicLookup().findVirtual(Function.class, "apply",
                    MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** {@code method} as {@code (Object target, Object[] arguments, Object failure) -> Object}. */
    private static MethodHandle shape(Method method, boolean takesFailure) {
        MethodHandle handle;
        try {
            handle = MethodHandles.lookup().unreflect(method);
        } catch (IllegalAccessException ex) {
            throw new IllegalStateException("Cannot access fallback " + method, ex);
        }
        if (Modifier.isStatic(method.getModifiers())) {
            handle = MethodHandles.dropArguments(handle, 0, Object.class);
        }
        if (!takesFailure) {
            handle = MethodHandles.dropArguments(handle, handle.type().parameterCount(), Object.class);
        }
        int arguments = handle.type().parameterCount() - 2;
        return handle.asType(handle.type().generic()).asSpreader(1, Object[].class, arguments).asType(SHAPE);
    }

    /** Whether it can receive {@code failure} (always, when it takes no failure parameter). */
    boolean accepts(Throwable failure) {
        return failureType == null || failureType.isInstance(failure);
    }

    Object invoke(Object target, Object[] arguments, Throwable failure) throws Throwable {
        MethodHandle shaped = handle;
        if (shaped == null) {
            shaped = shape(method, failureType != null);
            handle = shaped;
        }
        return (Object) shaped.invokeExact(target, arguments, (Object) failure);
    }

    /** The fallback method; {@code null} for a function given in code. */
    Method method() {
        return method;
    }

    /** The method's name, or the name given with a function. */
    String name() {
        return name;
    }
}
