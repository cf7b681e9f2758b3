package dev.resilience.autoconfigure.properties;

import java.util.Objects;
import java.util.function.Predicate;
import org.springframework.core.ResolvableType;
import org.springframework.core.ResolvableTypeProvider;

/**
 * A {@code record-result} / {@code retry-on-result} predicate as a property named it: a bean or a class, with the
 * type it was declared with (a bean's {@code @Bean} method return type keeps the generics a lambda loses). It
 * names itself in messages, and offers its declared type to whoever checks a method's results against it.
 */
public final class NamedPredicate implements Predicate<Object>, ResolvableTypeProvider {

    private final String description;
    private final Predicate<Object> predicate;
    private final ResolvableType type;

    /**
     * @param description how messages name it, e.g. {@code bean 'unavailable'}
     * @param predicate the predicate itself
     * @param type its declared type, {@link ResolvableType#NONE} when unknown
     */
    @SuppressWarnings("unchecked")
    public NamedPredicate(String description, Predicate<?> predicate, ResolvableType type) {
        this.description = Objects.requireNonNull(description, "description");
        this.predicate = (Predicate<Object>) Objects.requireNonNull(predicate, "predicate");
        this.type = Objects.requireNonNull(type, "type");
    }

    /** The bean {@code name} (a {@link Predicate}), with the type the bean factory declares for it. */
    public static NamedPredicate ofBean(String name, Predicate<?> bean, ResolvableType declared) {
        ResolvableType type = accepted(declared).resolve() != null ? declared : ResolvableType.forInstance(bean);
        String described = bean.getClass().isSynthetic() ? "bean '" + name + "'"
                : "bean '" + name + "' (" + bean.getClass().getName() + ")"; // a lambda's class name says nothing
        return new NamedPredicate(described, bean, type);
    }

    /** What the predicate accepts as its declared type says, or {@link ResolvableType#NONE} when unresolvable. */
    public ResolvableType accepted() {
        return accepted(type);
    }

    private static ResolvableType accepted(ResolvableType type) {
        return type.as(Predicate.class).getGeneric(0);
    }

    /**
     * Why this predicate cannot judge a method's results, or {@code null} when it may: a predicate declared for
     * {@code Throwable}s tests failures, which {@code record-result} and {@code retry-on-result} are never given
     * (failures go to {@code record-exceptions} and {@code retry-exceptions}).
     */
    String refusal() {
        Class<?> accepted = accepted().resolve();
        if (accepted != null && Throwable.class.isAssignableFrom(accepted)) {
            return description + " is a Predicate<" + accepted.getName() + ">, which cannot accept a method's "
                    + "results; failures are classified by record-exceptions / retry-exceptions";
        }
        return null;
    }

    /** The predicate itself, e.g. the user's bean. */
    public Predicate<Object> predicate() {
        return predicate;
    }

    @Override
    public boolean test(Object result) {
        return predicate.test(result);
    }

    @Override
    public ResolvableType getResolvableType() {
        return type;
    }

    @Override
    public String toString() {
        return description;
    }
}
