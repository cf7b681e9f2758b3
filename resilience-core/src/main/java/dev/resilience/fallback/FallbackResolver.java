package dev.resilience.fallback;

import dev.resilience.core.ExceptionClassifier;
import java.lang.ref.SoftReference;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Resolves and checks the fallbacks a guarded method declares, once, when its bean is created. A missing
 * method or a wrong signature raises {@link FallbackDeclarationException} naming the bean class, the
 * guarded method, the fallback and the signature expected.
 */
public final class FallbackResolver {

    // The methods declared by the class whose fallbacks were resolved last and by its superclasses: a class's guarded
    // methods are resolved one after another, and each getDeclaredMethods() copies every method of the class (a
    // woven class has three per guarded method). Soft, as Spring's own reflection caches: a weak reference to this
    // record, which nothing else holds, is cleared by the next collection, a young one included; a soft one goes only
    // under memory pressure, and it holds one class (and its loader) at most, the last one resolved, until the next
    // class replaces it.
    private static volatile SoftReference<DeclaredMethods> lastDeclared = new SoftReference<>(null);

    private FallbackResolver() {
    }

    /**
     * @param beanClass the class whose methods (and whose superclasses' methods) are searched
     * @param guarded the guarded method
     * @param names the fallback method names, in the order they are tried
     * @param applyOn failures the chain handles (subclasses included)
     * @param skipOn failures the chain never handles; wins over {@code applyOn}
     */
    public static FallbackChain resolve(Class<?> beanClass, Method guarded, List<String> names,
            List<Class<? extends Throwable>> applyOn, List<Class<? extends Throwable>> skipOn) {
        if (names.isEmpty()) {
            throw new FallbackDeclarationException("@Fallback on " + describe(beanClass, guarded)
                    + " names no fallback method");
        }
        List<FallbackMethod> chain = new ArrayList<>();
        for (String name : names) {
            chain.addAll(resolveOne(beanClass, guarded, name));
        }
        String guardedName = beanClass.getSimpleName() + "." + guarded.getName();
        return new FallbackChain(guardedName, chain, ExceptionClassifier.of(applyOn, skipOn));
    }

    /**
     * A chain of fallbacks given in code, for a call guarded without annotations: each function receives the
     * failure (never a {@code CompletionException}) and answers, or throws to hand over to the next. A function may
     * answer a {@code CompletionStage} for an asynchronous call, or a publisher for a reactive one.
     *
     * @param guarded names the guarded call in meters and events
     * @param fallbacks tried in order
     * @param applyOn failures the chain handles (subclasses included)
     * @param skipOn failures the chain never handles; wins over {@code applyOn}
     */
    public static FallbackChain of(String guarded, List<? extends Function<? super Throwable, ?>> fallbacks,
            List<Class<? extends Throwable>> applyOn, List<Class<? extends Throwable>> skipOn) {
        if (fallbacks.isEmpty()) {
            throw new FallbackDeclarationException("the fallback chain of " + guarded + " is empty");
        }
        List<FallbackMethod> chain = new ArrayList<>();
        for (int i = 0; i < fallbacks.size(); i++) {
            chain.add(new FallbackMethod("fallback" + (i + 1), Objects.requireNonNull(fallbacks.get(i), "fallback")));
        }
        return new FallbackChain(guarded, chain, ExceptionClassifier.of(applyOn, skipOn));
    }

    private static List<FallbackMethod> resolveOne(Class<?> beanClass, Method guarded, String name) {
        Class<?>[] parameters = guarded.getParameterTypes();
        List<Method> sameName = new ArrayList<>();
        List<FallbackMethod> found = new ArrayList<>();
        for (Method[] declared : declaredMethods(beanClass)) {
            for (Method candidate : declared) {
                if (!candidate.getName().equals(name) || candidate.isBridge() || candidate.isSynthetic()
                        || candidate.equals(guarded)) {
                    continue;
                }
                sameName.add(candidate);
                Class<?> failureType = failureParameter(candidate, parameters);
                boolean takesArguments = failureType != null || Arrays.equals(candidate.getParameterTypes(), parameters);
                if (takesArguments && returnFits(candidate, guarded) && !overridden(candidate, found)) {
                    found.add(new FallbackMethod(candidate, failureType));
                }
            }
        }
        if (found.isEmpty()) {
            throw new FallbackDeclarationException(notFound(beanClass, guarded, name, sameName));
        }
        // Try the variants that receive the failure first, most specific failure type first.
        found.sort(Comparator.comparing(FallbackResolver::specificity).reversed());
        return found;
    }

    /** The methods {@code beanClass} and each superclass but {@code Object} declare, the class's first. */
    private static List<Method[]> declaredMethods(Class<?> beanClass) {
        DeclaredMethods last = lastDeclared.get();
        if (last != null && last.beanClass() == beanClass) {
            return last.methods();
        }
        List<Method[]> methods = new ArrayList<>();
        for (Class<?> type = beanClass; type != null && type != Object.class; type = type.getSuperclass()) {
            methods.add(type.getDeclaredMethods());
        }
        lastDeclared = new SoftReference<>(new DeclaredMethods(beanClass, methods));
        return methods;
    }

    private record DeclaredMethods(Class<?> beanClass, List<Method[]> methods) {
    }

    private static int specificity(FallbackMethod fallback) {
        Method method = fallback.method();
        int count = method.getParameterCount();
        if (count == 0) {
            return 0;
        }
        Class<?> last = method.getParameterTypes()[count - 1];
        if (!Throwable.class.isAssignableFrom(last)) {
            return 0;
        }
        int depth = 1;
        for (Class<?> type = last; type != Throwable.class; type = type.getSuperclass()) {
            depth++;
        }
        return depth;
    }

    private static boolean overridden(Method candidate, List<FallbackMethod> found) {
        for (FallbackMethod existing : found) {
            if (Arrays.equals(existing.method().getParameterTypes(), candidate.getParameterTypes())) {
                return true;
            }
        }
        return false;
    }

    /** The type of the trailing failure parameter, or null when the candidate has none. */
    private static Class<?> failureParameter(Method candidate, Class<?>[] parameters) {
        Class<?>[] types = candidate.getParameterTypes();
        if (types.length != parameters.length + 1 || !Throwable.class.isAssignableFrom(types[parameters.length])) {
            return null;
        }
        return Arrays.equals(Arrays.copyOf(types, parameters.length), parameters) ? types[parameters.length] : null;
    }

    private static boolean returnFits(Method candidate, Method guarded) {
        Class<?> expected = guarded.getReturnType();
        Class<?> actual = candidate.getReturnType();
        if (expected == void.class || actual == void.class) {
            return expected == actual;
        }
        if (expected.isPrimitive()) {
            return box(expected) == box(actual);
        }
        if (expected.isAssignableFrom(box(actual))) {
            return true;
        }
        if (!CompletionStage.class.isAssignableFrom(expected)) {
            return false;
        }
        if (CompletionStage.class.isAssignableFrom(actual)) {
            return true; // any stage: the pipeline answers with a CompletableFuture either way
        }
        // An asynchronous method's fallback may answer with the value itself.
        Type valueType = guarded.getGenericReturnType() instanceof ParameterizedType parameterized
                ? parameterized.getActualTypeArguments()[0] : Object.class;
        return !(valueType instanceof Class<?> valueClass) || valueClass.isAssignableFrom(box(actual));
    }

    private static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "boolean" -> Boolean.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "char" -> Character.class;
            default -> Void.class;
        };
    }

    private static String notFound(Class<?> beanClass, Method guarded, String name, List<Method> sameName) {
        String parameters = Arrays.stream(guarded.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        String returnType = guarded.getReturnType().getSimpleName();
        String expected = returnType + " " + name + "(" + parameters + ")' or '" + returnType + " " + name + "("
                + parameters + (parameters.isEmpty() ? "" : ", ") + "Throwable)";
        StringBuilder message = new StringBuilder("Invalid @Fallback on ").append(describe(beanClass, guarded))
                .append(": fallback method '").append(name).append("' ");
        if (sameName.isEmpty()) {
            message.append("does not exist in ").append(beanClass.getName()).append(" or its superclasses");
        } else {
            message.append("has the wrong signature: found ").append(sameName.stream().map(FallbackResolver::signature)
                    .collect(Collectors.joining(", ")));
        }
        return message.append("; expected '").append(expected).append("' (the last parameter may be any Throwable type")
                .append(" and the return type must be assignable to ").append(returnType).append(")").toString();
    }

    private static String signature(Method method) {
        return "'" + method.getReturnType().getSimpleName() + " " + method.getName() + "(" + Arrays.stream(
                method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")'";
    }

    private static String describe(Class<?> beanClass, Method guarded) {
        return beanClass.getName() + "." + guarded.getName() + "(" + Arrays.stream(guarded.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")";
    }
}
