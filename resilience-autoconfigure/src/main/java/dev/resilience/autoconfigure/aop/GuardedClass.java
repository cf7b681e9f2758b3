package dev.resilience.autoconfigure.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.aop.support.AopUtils;
import org.springframework.util.ConcurrentReferenceHashMap;
import org.springframework.util.ReflectionUtils;

/**
 * Which methods of one class are guarded, found in one scan of its methods' and its own annotations and kept: the
 * declaration validator and the advisor's pointcut both ask, for every method of every bean, and scanning each
 * method again per question was a large part of starting an application of 1,000 guarded methods. Only the
 * answer is kept; what applies to each method goes to the validator, which builds the pipelines from it.
 */
final class GuardedClass {

    /** A class without guarded methods: nothing is kept for it but this. */
    private static final GuardedClass NONE = new GuardedClass(Set.of());

    // Soft references, as Spring's own annotation caches: a class (and its class loader) can still go away.
    private static final Map<Class<?>, GuardedClass> CLASSES = new ConcurrentReferenceHashMap<>();

    /** The most specific methods a policy applies to. */
    private final Set<Method> guarded;

    private GuardedClass(Set<Method> guarded) {
        this.guarded = guarded;
    }

    /** Which methods of {@code type} are guarded, scanned at the first request. */
    static GuardedClass of(Class<?> type) {
        GuardedClass known = CLASSES.get(type);
        return known != null ? known : remember(type, resolveAll(type));
    }

    /**
     * Scans {@code type}: what applies to each of its guarded methods, by most specific method in declaration order;
     * which they are is kept for the pointcut.
     */
    static Map<Method, GuardedMethod> scan(Class<?> type) {
        Map<Method, GuardedMethod> guarded = resolveAll(type);
        remember(type, guarded);
        return Collections.unmodifiableMap(guarded);
    }

    private static Map<Method, GuardedMethod> resolveAll(Class<?> type) {
        Map<Method, GuardedMethod> guarded = new LinkedHashMap<>();
        GuardedMethod.ClassAnnotations classAnnotations = new GuardedMethod.ClassAnnotations(type);
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
            GuardedMethod resolved = GuardedMethod.resolve(AopUtils.getMostSpecificMethod(method, type), type,
                    classAnnotations);
            if (resolved.hasPolicy()) {
                guarded.put(resolved.method(), resolved);
            }
        }
        return guarded;
    }

    private static GuardedClass remember(Class<?> type, Map<Method, GuardedMethod> guarded) {
        GuardedClass scanned = guarded.isEmpty() ? NONE : new GuardedClass(new HashSet<>(guarded.keySet()));
        CLASSES.put(type, scanned);
        return scanned;
    }

    /** The most specific methods a policy applies to. */
    Set<Method> methods() {
        return Collections.unmodifiableSet(guarded);
    }

    /** Whether a policy applies to {@code method} when invoked on {@code targetClass} (this class). */
    boolean isGuarded(Method method, Class<?> targetClass) {
        if (guarded.contains(method)) {
            return true;
        }
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        if (guarded.contains(specific)) {
            return true;
        }
        return !scanned(specific, targetClass) && GuardedMethod.resolve(specific, targetClass, null).hasPolicy();
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
}
