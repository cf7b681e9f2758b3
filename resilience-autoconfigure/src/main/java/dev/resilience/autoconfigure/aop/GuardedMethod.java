package dev.resilience.autoconfigure.aop;

import dev.resilience.annotation.Fallback;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotationSelectors;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.annotation.RepeatableContainers;
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

    static final Set<Class<? extends Annotation>> ANNOTATIONS = annotationTypes();

    /** Whether any policy applies to {@code method} when invoked on {@code targetClass}. */
    static boolean isGuarded(Method method, Class<?> targetClass) {
        return AnnotationUtils.isCandidateClass(targetClass, ANNOTATIONS)
                && GuardedClass.of(targetClass).isGuarded(method, targetClass);
    }

    /** The annotations that apply to {@code method} on {@code targetClass}. */
    static GuardedMethod resolve(Method method, Class<?> targetClass) {
        return resolve(AopUtils.getMostSpecificMethod(method, targetClass), targetClass, null);
    }

    /**
     * The annotations that apply to {@code specific} (the most specific method on {@code targetClass}). The
     * method's annotations are scanned once for which of ours are present, and only those are merged: a lookup per
     * kind and element (about 17 per method) was a large part of validating an application of 1,000 guarded methods
     * at startup. The class's own are taken from {@code classAnnotations}, resolved once per class, or resolved here
     * when it is {@code null}. The annotation found is the one {@code AnnotatedElementUtils.findMergedAnnotation}
     * finds.
     */
    static GuardedMethod resolve(Method specific, Class<?> targetClass, ClassAnnotations classAnnotations) {
        Annotation[] annotations = new Annotation[PolicyKind.OUTERMOST_FIRST.size()];
        int missing = fill(specific, annotations);
        if (missing > 0 && coveredByClass(specific)) {
            Annotation[] ofClass = (classAnnotations != null ? classAnnotations : new ClassAnnotations(targetClass))
                    .get();
            for (int i = 0; i < annotations.length; i++) {
                if (annotations[i] == null) {
                    annotations[i] = ofClass[i];
                }
            }
        }
        return new GuardedMethod(specific, targetClass, annotations);
    }

    /** The annotation of {@code kind} that applies, or {@code null}. */
    Annotation annotation(PolicyKind kind) {
        return annotations[kind.index()];
    }

    boolean hasPolicy() {
        for (Annotation annotation : annotations) {
            if (annotation != null) {
                return true;
            }
        }
        return false;
    }

    /** {@code Bean.method(Type, ...)} for messages. */
    String describe() {
        return targetClass.getName() + "." + method.getName() + "(" + String.join(", ",
                Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList()) + ")";
    }

    /** The instance name of an annotation: {@code value} or {@code name}, which must agree when both are set. */
    String instanceName(Annotation annotation, String value, String name) {
        if (StringUtils.hasText(value) && StringUtils.hasText(name) && !value.equals(name)) {
            throw new IllegalStateException(type(annotation) + " on " + describe() + " sets both value '" + value
                    + "' and name '" + name + "'; set one of them");
        }
        String instance = StringUtils.hasText(value) ? value : name;
        if (!StringUtils.hasText(instance)) {
            String type = type(annotation);
            throw new IllegalStateException(type + " on " + describe() + " needs an instance name, e.g. " + type
                    + "(\"inventory\")");
        }
        return instance.trim();
    }

    /** {@code @Name} for messages, built only for one: names are read for every guarded method at startup. */
    private static String type(Annotation annotation) {
        return "@" + annotation.annotationType().getSimpleName();
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

    /**
     * Sets each kind's annotation that {@code element} carries (directly, on an overridden method or a supertype,
     * or as a meta-annotation) where {@code annotations} has none yet; answers how many kinds remain without one.
     */
    private static int fill(AnnotatedElement element, Annotation[] annotations) {
        MergedAnnotations merged = MergedAnnotations.from(element, SearchStrategy.TYPE_HIERARCHY,
                RepeatableContainers.none());
        Map<Class<? extends Annotation>, MergedAnnotation<Annotation>> present = present(merged);
        int missing = 0;
        for (PolicyKind kind : PolicyKind.OUTERMOST_FIRST) {
            Class<? extends Annotation> type = kind.annotation();
            if (type == null || annotations[kind.index()] != null) {
                continue;
            }
            if (present.containsKey(type)) {
                // As AnnotatedElementUtils.findMergedAnnotation selects (and synthesizes) it: the first directly
                // declared one, which the pass over the annotations found; a search only for a meta-annotation.
                MergedAnnotation<? extends Annotation> found = present.get(type);
                if (found == null) {
                    found = merged.get(type, null, MergedAnnotationSelectors.firstDirectlyDeclared());
                }
                annotations[kind.index()] = found.isPresent() ? found.synthesize() : null;
            }
            if (annotations[kind.index()] == null) {
                missing++;
            }
        }
        return missing;
    }

    /**
     * Which of our annotation types {@code merged} holds, in one pass over its annotations, each with its first
     * directly declared occurrence (the pass visits the element, then what it overrides or extends, in order), or
     * {@code null} when it is only meta-present.
     */
    private static Map<Class<? extends Annotation>, MergedAnnotation<Annotation>> present(MergedAnnotations merged) {
        Map<Class<? extends Annotation>, MergedAnnotation<Annotation>> present = null;
        for (MergedAnnotation<Annotation> annotation : merged) {
            Class<Annotation> type = annotation.getType();
            if (ANNOTATIONS.contains(type)) {
                if (present == null) {
                    present = new HashMap<>(8);
                }
                if (annotation.getDistance() == 0 ? present.get(type) == null : !present.containsKey(type)) {
                    present.put(type, annotation.getDistance() == 0 ? annotation : null);
                }
            }
        }
        return present == null ? Map.of() : present;
    }

    /** A class's own policy annotations (which apply to its public methods), resolved at the first request. */
    static final class ClassAnnotations {
        private final Class<?> type;
        private Annotation[] annotations;

        ClassAnnotations(Class<?> type) {
            this.type = type;
        }

        /** The annotation of each kind by index, {@code null} where the class has none; not to be changed. */
        Annotation[] get() {
            if (annotations == null) {
                Annotation[] found = new Annotation[PolicyKind.OUTERMOST_FIRST.size()];
                fill(type, found);
                annotations = found;
            }
            return annotations;
        }
    }

    private static Set<Class<? extends Annotation>> annotationTypes() {
        Set<Class<? extends Annotation>> types = new HashSet<>();
        for (PolicyKind kind : PolicyKind.OUTERMOST_FIRST) {
            if (kind.annotation() != null) {
                types.add(kind.annotation());
            }
        }
        return Set.copyOf(types);
    }
}
