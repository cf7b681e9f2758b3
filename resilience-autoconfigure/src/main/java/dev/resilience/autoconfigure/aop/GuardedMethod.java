package dev.resilience.autoconfigure.aop;

import dev.resilience.annotation.Fallback;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
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
 * @param annotations the annotation of each {@link PolicyKind}, by index; {@code null} where there is none
 */
record GuardedMethod(Method method, Class<?> targetClass, Annotation[] annotations) {

    static final Set<Class<? extends Annotation>> ANNOTATIONS = PolicyKind.OUTERMOST_FIRST.stream()
            .map(PolicyKind::annotation).filter(Objects::nonNull).collect(Collectors.toUnmodifiableSet());

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
        Annotation[] annotations = new Annotation[PolicyKind.OUTERMOST_FIRST.size()];
        for (PolicyKind<?, ?> kind : PolicyKind.OUTERMOST_FIRST) {
            if (kind.annotation() != null) {
                annotations[kind.index()] = find(specific, targetClass, classLevel, kind.annotation());
            }
        }
        return new GuardedMethod(specific, targetClass, annotations);
    }

    /** The annotation of {@code kind} that applies, or {@code null}. */
    Annotation annotation(PolicyKind<?, ?> kind) {
        return annotations[kind.index()];
    }

    boolean hasPolicy() {
        return Arrays.stream(annotations).anyMatch(Objects::nonNull);
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

    List<String> fallbackMethods(Fallback fallback) {
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
