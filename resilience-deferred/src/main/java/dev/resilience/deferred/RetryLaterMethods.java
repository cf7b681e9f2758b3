package dev.resilience.deferred;

import dev.resilience.annotation.RetryLater;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.BaseStream;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Finds the {@code @RetryLater} methods of each bean as it is created, refuses those whose calls could not be
 * stored or replayed (stopping startup), and remembers which bean to replay them on.
 */
public final class RetryLaterMethods implements BeanPostProcessor {

    /** Types that are not data: a call taking one cannot be replayed from JSON. */
    private static final List<Class<?>> NOT_DATA = List.of(InputStream.class, OutputStream.class, Reader.class,
            Writer.class, Thread.class, Future.class, CompletionStage.class, BaseStream.class, Iterable.class,
            java.util.Iterator.class, java.sql.Connection.class, javax.sql.DataSource.class, Class.class);

    private static final Pattern INSTANCE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,50}");

    private final Map<Method, Target> byMethod = new ConcurrentHashMap<>();
    private final Map<String, Target> byKey = new ConcurrentHashMap<>();

    /**
     * One {@code @RetryLater} method of one bean.
     *
     * @param bean the bean name
     * @param method the method on the bean's class
     * @param instance the instance name
     * @param asynchronous whether it returns a {@code CompletionStage}
     */
    public record Target(String bean, Method method, String instance, boolean asynchronous) {

        String signature() {
            return method.getName() + "(" + String.join(", ", parameterTypes()) + ")";
        }

        List<String> parameterTypes() {
            return Arrays.stream(method.getParameterTypes()).map(Class::getName).toList();
        }

        String key() {
            return key(bean, method.getName(), parameterTypes());
        }

        static String key(String bean, String method, List<String> parameterTypes) {
            return bean + "#" + method + "(" + String.join(",", parameterTypes) + ")";
        }
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.getTargetClass(bean);
        if (!AnnotationUtils.isCandidateClass(type, RetryLater.class)) {
            return bean;
        }
        ReflectionUtils.doWithMethods(type, method -> {
            RetryLater annotation = AnnotationUtils.findAnnotation(method, RetryLater.class);
            if (annotation != null && !method.isBridge()) {
                register(beanName, method, annotation);
            }
        }, ReflectionUtils.USER_DECLARED_METHODS);
        return bean;
    }

    private void register(String beanName, Method method, RetryLater annotation) {
        String problem = problem(method);
        String instance = StringUtils.hasText(annotation.value()) ? annotation.value() : annotation.name();
        if (problem == null && !StringUtils.hasText(instance)) {
            problem = "names no instance: write @RetryLater(\"name\")";
        }
        if (problem == null && !INSTANCE_NAME.matcher(instance).matches()) {
            problem = "names instance '" + instance + "': an instance name is 1 to 50 letters, digits, '.', '_' or "
                    + "'-' (it begins the id of each stored call)";
        }
        if (problem != null) {
            throw new BeanCreationException(beanName, "@RetryLater on " + method.getDeclaringClass().getName() + "."
                    + method.getName() + " " + problem);
        }
        Target target = new Target(beanName, method, instance, method.getReturnType() != void.class);
        Target previous = byMethod.putIfAbsent(method, target);
        if (previous != null && !previous.bean().equals(beanName)) {
            throw new BeanCreationException(beanName, "@RetryLater on " + method.getDeclaringClass().getName()
                    + "." + method.getName() + ": beans '" + previous.bean() + "' and '" + beanName
                    + "' share the class, so a stored call could not tell which to replay on; declare one bean");
        }
        byKey.put(target.key(), target);
    }

    /** Why calls of {@code method} cannot be stored and replayed, or {@code null}. */
    private static String problem(Method method) {
        if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
            return "must be a public instance method (the proxy intercepts only those)";
        }
        Class<?> returns = method.getReturnType();
        boolean stage = returns == CompletionStage.class || returns == CompletableFuture.class;
        if (returns != void.class && !(stage && returnsVoidStage(method.getGenericReturnType()))) {
            return "must return void or CompletionStage<Void>: the caller of a call that is replayed later gets "
                    + "no answer, but it returns " + method.getGenericReturnType().getTypeName();
        }
        Type[] parameters = method.getGenericParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            String why = notData(parameters[i]);
            if (why != null) {
                return "cannot be stored: parameter " + i + " (" + parameters[i].getTypeName() + ") " + why;
            }
        }
        return null;
    }

    private static boolean returnsVoidStage(Type type) {
        return type instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments()[0] == Void.class;
    }

    private static String notData(Type type) {
        Class<?> raw = org.springframework.core.ResolvableType.forType(type).resolve(Object.class);
        if (raw == Object.class) {
            return "is Object: a replay could not tell which type to read the JSON as; declare a concrete type";
        }
        if (Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw)
                || raw == java.util.Optional.class) {
            return null;
        }
        for (Class<?> notData : NOT_DATA) {
            if (notData.isAssignableFrom(raw)) {
                return "is a " + notData.getSimpleName() + ", not data that can be stored as JSON";
            }
        }
        if (raw.isAnnotationPresent(FunctionalInterface.class)) {
            return "is a function, not data that can be stored as JSON";
        }
        boolean valueType = raw.isPrimitive() || raw.isEnum() || raw.isArray() || raw.getName().startsWith("java.");
        if (!valueType && (raw.isInterface() || Modifier.isAbstract(raw.getModifiers()))
                && AnnotationUtils.findAnnotation(raw, com.fasterxml.jackson.annotation.JsonTypeInfo.class) == null) {
            return "is abstract without @JsonTypeInfo: a replay could not tell which class to create";
        }
        return null;
    }

    /** The target of {@code method}, or {@code null} when it is not a registered {@code @RetryLater} method. */
    Target target(Method method) {
        return byMethod.get(method);
    }

    /** The instance names of every {@code @RetryLater} method registered so far, sorted. */
    public SortedSet<String> instances() {
        SortedSet<String> names = new TreeSet<>();
        byMethod.values().forEach(target -> names.add(target.instance()));
        return names;
    }

    /** The target a stored call names, or {@code null}. */
    Target target(String bean, String method, List<String> parameterTypes) {
        return byKey.get(Target.key(bean, method, parameterTypes));
    }
}
