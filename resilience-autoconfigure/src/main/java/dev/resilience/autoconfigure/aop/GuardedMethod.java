package dev.resilience.autoconfigure.aop;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Degradable;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.StringUtils;

/**
 * The policy annotations that apply to one method of one class: the method's own, else its class's (for
 * public methods not declared by {@code Object}), per kind.
 *
 * @param method the most specific method on the target class
 * @param targetClass the bean's class
 */
record GuardedMethod(Method method, Class<?> targetClass, CircuitBreaker circuitBreaker, Retry retry,
        Bulkhead bulkhead, RateLimiter rateLimiter, Timeout timeout, Degradable degradable, Fallback fallback) {

    static final Set<Class<? extends Annotation>> ANNOTATIONS = Set.of(CircuitBreaker.class, Retry.class,
            Bulkhead.class, RateLimiter.class, Timeout.class, Degradable.class, Fallback.class);

    /** Whether any policy applies to {@code method} when invoked on {@code targetClass}. */
    static boolean isGuarded(Method method, Class<?> targetClass) {
        if (!AnnotationUtils.isCandidateClass(targetClass, ANNOTATIONS)) {
            return false;
        }
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        for (Class<? extends Annotation> type : ANNOTATIONS) {
            if (AnnotatedElementUtils.hasAnnotation(specific, type)) {
                return true;
            }
        }
        return coveredByClass(specific) && ANNOTATIONS.stream()
                .anyMatch(type -> AnnotatedElementUtils.hasAnnotation(targetClass, type));
    }

    static GuardedMethod resolve(Method method, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        boolean classLevel = coveredByClass(specific);
        return new GuardedMethod(specific, targetClass, find(specific, targetClass, classLevel, CircuitBreaker.class),
                find(specific, targetClass, classLevel, Retry.class), find(specific, targetClass, classLevel, Bulkhead.class),
                find(specific, targetClass, classLevel, RateLimiter.class),
                find(specific, targetClass, classLevel, Timeout.class),
                find(specific, targetClass, classLevel, Degradable.class),
                find(specific, targetClass, classLevel, Fallback.class));
    }

    boolean hasPolicy() {
        return circuitBreaker != null || retry != null || bulkhead != null || rateLimiter != null || timeout != null
                || degradable != null || fallback != null;
    }

    /** {@code Bean.method(Type, ...)} for messages. */
    String describe() {
        return targetClass.getName() + "." + method.getName() + "(" + String.join(", ",
                Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList()) + ")";
    }

    /** The instance name of an annotation: {@code value} or {@code name}, which must agree when both are set. */
    String instanceName(Annotation annotation, String value, String name) {
        String type = "@" + annotation.annotationType().getSimpleName();
        if (StringUtils.hasText(value) && StringUtils.hasText(name) && !value.equals(name)) {
            throw new IllegalStateException(type + " on " + describe() + " sets both value '" + value + "' and name '"
                    + name + "'; set one of them");
        }
        String instance = StringUtils.hasText(value) ? value : name;
        if (!StringUtils.hasText(instance)) {
            throw new IllegalStateException(type + " on " + describe() + " needs an instance name, e.g. " + type
                    + "(\"inventory\")");
        }
        return instance.trim();
    }

    List<String> fallbackMethods() {
        String[] value = fallback.value();
        String[] method = fallback.method();
        if (value.length > 0 && method.length > 0 && !Arrays.equals(value, method)) {
            throw new IllegalStateException("@Fallback on " + describe() + " sets both value and method; set one");
        }
        return List.of(value.length > 0 ? value : method);
    }

    private static boolean coveredByClass(Method method) {
        return Modifier.isPublic(method.getModifiers()) && method.getDeclaringClass() != Object.class;
    }

    private static <A extends Annotation> A find(Method method, Class<?> targetClass, boolean classLevel, Class<A> type) {
        A own = AnnotatedElementUtils.findMergedAnnotation(method, type);
        if (own != null || !classLevel) {
            return own;
        }
        return AnnotatedElementUtils.findMergedAnnotation(targetClass, type);
    }
}
