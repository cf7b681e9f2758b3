package dev.resilience.autoconfigure.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.util.ConcurrentReferenceHashMap;
import org.springframework.util.ReflectionUtils;

/**
 * The guarded methods of one class, found in one scan of its methods' and its own annotations and kept: the
 * declaration validator and the advisor's pointcut both ask, for every method of every bean, and scanning each
 * method again per question was a large part of starting an application of 1,000 guarded methods.
 */
final class GuardedClass {

    /** A class without guarded methods: nothing is kept for it but this. */
    private static final GuardedClass NONE = new GuardedClass(Map.of());

    // Soft references, as Spring's own annotation caches: a class (and its class loader) can still go away.
    private static final Map<Class<?>, GuardedClass> CLASSES = new ConcurrentReferenceHashMap<>();

    /** By most specific method, in declaration order; only methods a policy applies to. */
    private final Map<Method, GuardedMethod> guarded;

    private GuardedClass(Map<Method, GuardedMethod> guarded) {
        this.guarded = guarded;
    }

    /** The guarded methods of {@code type}, scanned at the first request. */
    static GuardedClass of(Class<?> type) {
        GuardedClass known = CLASSES.get(type);
        if (known == null) {
            known = scan(type);
            GuardedClass raced = CLASSES.putIfAbsent(type, known);
            if (raced != null) {
                known = raced;
            }
        }
        return known;
    }

    /** Every method of the class that a policy applies to, with what applies, by most specific method. */
    Map<Method, GuardedMethod> guardedMethods() {
        return guarded;
    }

    /** Whether a policy applies to {@code method} when invoked on {@code targetClass} (this class). */
    boolean isGuarded(Method method, Class<?> targetClass) {
        if (guarded.containsKey(method)) {
            return true;
        }
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        if (guarded.containsKey(specific)) {
            return true;
        }
        return !scanned(specific, targetClass) && GuardedMethod.resolve(specific, targetClass, null).hasPolicy();
    }

    /** What applies to {@code method} when invoked on {@code targetClass} (this class). */
    GuardedMethod resolve(Method method, Class<?> targetClass) {
        GuardedMethod known = guarded.get(method);
        if (known != null) {
            return known;
        }
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        known = guarded.get(specific);
        return known != null ? known : GuardedMethod.resolve(specific, targetClass, null);
    }

    /**
     * Whether the scan answered for {@code specific} (a most specific method on {@code targetClass}): Object's
     * methods (which carry no policy) and every concrete method the class or a superclass declares. Any other
     * (an interface's, a bridge, a synthetic one) is resolved on request, as before there was a scan.
     */
    private static boolean scanned(Method specific, Class<?> targetClass) {
        Class<?> declaring = specific.getDeclaringClass();
        return declaring == Object.class || !declaring.isInterface() && declaring.isAssignableFrom(targetClass)
                && !specific.isSynthetic() && !specific.isBridge() && !Modifier.isAbstract(specific.getModifiers());
    }

    private static GuardedClass scan(Class<?> type) {
        Map<Method, GuardedMethod> guarded = new LinkedHashMap<>();
        GuardedMethod.ClassAnnotations classAnnotations = new GuardedMethod.ClassAnnotations(type);
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
            GuardedMethod resolved = GuardedMethod.resolve(AopUtils.getMostSpecificMethod(method, type), type,
                    classAnnotations);
            if (resolved.hasPolicy()) {
                guarded.put(resolved.method(), resolved);
            }
        }
        return guarded.isEmpty() ? NONE : new GuardedClass(Collections.unmodifiableMap(guarded));
    }
}
