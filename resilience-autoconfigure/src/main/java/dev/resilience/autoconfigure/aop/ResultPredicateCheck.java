package dev.resilience.autoconfigure.aop;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.retry.Retry;
import java.lang.reflect.Modifier;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * Refuses, when a method's pipeline is built (at startup for beans created then), a {@code retry-on-result} or
 * {@code record-result} predicate whose declared type can never accept the method's results: it would throw a
 * {@link ClassCastException} on every successful call. Only what is known is judged: a predicate whose type
 * argument is not resolvable (a lambda bean with no generic declaration) or a result type that is not (a type
 * variable) passes, and is caught per call instead, with a message naming it.
 */
final class ResultPredicateCheck {

    private ResultPredicateCheck() {
    }

    static void check(GuardedMethod guarded, Object retry, Object breaker) {
        if (retry instanceof Retry policy) {
            check(guarded, "retry-on-result", "retry '" + policy.getName() + "'", policy.getConfig().retryOnResult());
        }
        if (breaker instanceof CircuitBreaker policy) {
            check(guarded, "record-result", "circuit breaker '" + policy.getName() + "'",
                    policy.getConfig().recordResult());
        }
    }

    private static void check(GuardedMethod guarded, String property, String owner, Predicate<Object> predicate) {
        if (predicate == null) {
            return;
        }
        Class<?> accepted = ResolvableType.forInstance(predicate).as(Predicate.class).getGeneric(0).resolve();
        Class<?> results = resultType(guarded);
        if (accepted == null || results == null || mayBeBoth(results, accepted)) {
            return;
        }
        throw new IllegalStateException("The " + property + " predicate " + predicate + " of " + owner
                + " is a Predicate<" + accepted.getName() + ">, but " + guarded.describe() + " gives results of type "
                + results.getName() + ", which it can never accept; give " + owner + " a " + property
                + " predicate of " + results.getName() + " or of a type that may share instances with it");
    }

    /** The type each result has: the element type of a stage or a publisher; null for void or when unresolvable. */
    private static Class<?> resultType(GuardedMethod guarded) {
        ResolvableType returned = ResolvableType.forMethodReturnType(guarded.method(), guarded.targetClass());
        Class<?> raw = returned.resolve();
        if (raw == null || raw == void.class || raw == Void.class) {
            return null;
        }
        if (CompletionStage.class.isAssignableFrom(raw)) {
            return returned.as(CompletionStage.class).getGeneric(0).resolve();
        }
        ClassLoader loader = raw.getClassLoader();
        if (loader != null && ClassUtils.isPresent("org.reactivestreams.Publisher", loader)) {
            Class<?> publisher = ClassUtils.resolveClassName("org.reactivestreams.Publisher", loader);
            if (publisher.isAssignableFrom(raw)) {
                return returned.as(publisher).getGeneric(0).resolve();
            }
        }
        return ClassUtils.resolvePrimitiveIfNecessary(raw);
    }

    /** Whether one object can be of both types: one extends the other, or an interface meets a non-final class. */
    private static boolean mayBeBoth(Class<?> a, Class<?> b) {
        if (a.isAssignableFrom(b) || b.isAssignableFrom(a)) {
            return true;
        }
        return (a.isInterface() && !Modifier.isFinal(b.getModifiers()))
                || (b.isInterface() && !Modifier.isFinal(a.getModifiers()));
    }
}
