package dev.resilience.autoconfigure.properties;

import dev.resilience.core.InvalidConfigurationException;
import dev.resilience.core.Quote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Property values by kebab-case name, as bound from {@code application.yml} or sent to the actuator endpoint,
 * read with conversion. A value of the wrong type raises {@link InvalidConfigurationException} naming the
 * property; {@link #unread()} names properties no binder asked for.
 */
public final class PropertyValues {

    private static final ConversionService CONVERSION = ApplicationConversionService.getSharedInstance();

    private final Map<String, Object> values;
    private final Map<String, Object> unread;
    private final ClassLoader classLoader;
    private final Function<String, Object> beans;

    /** @param beans the application's bean of a name, or {@code null} when it has none */
    public PropertyValues(Map<String, Object> values, ClassLoader classLoader, Function<String, Object> beans) {
        this.values = Map.copyOf(values);
        this.unread = new LinkedHashMap<>(values);
        this.classLoader = classLoader;
        this.beans = beans;
    }

    /** The properties present that were not read, by name. */
    public Map<String, Object> unread() {
        return unread;
    }

    public void integer(String property, IntConsumer target) {
        Object value = read(property);
        if (value != null) {
            target.accept(convert(property, value, Integer.class, "must be a whole number"));
        }
    }

    public void decimal(String property, DoubleConsumer target) {
        Object value = read(property);
        if (value != null) {
            target.accept(convert(property, value, Double.class, "must be a number"));
        }
    }

    public void bool(String property, Consumer<Boolean> target) {
        Object value = read(property);
        if (value == null) {
            return;
        }
        String text = value.toString().trim();
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new InvalidConfigurationException(property, value, "must be true or false");
        }
        target.accept(Boolean.parseBoolean(text));
    }

    public void duration(String property, Consumer<Duration> target) {
        Object value = read(property);
        if (value != null) {
            target.accept(convert(property, value, Duration.class, "must be a duration such as 500ms, 10s or PT1M"));
        }
    }

    /** A single line of text, e.g. a name; an array or object is refused. */
    public void text(String property, Consumer<String> target) {
        Object value = read(property);
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> || value instanceof Map<?, ?>) {
            throw new InvalidConfigurationException(property, value, "must be a single value");
        }
        target.accept(value.toString().trim());
    }

    /** An enum written in kebab-case ({@code count-based}) or as its constant ({@code COUNT_BASED}). */
    public <E extends Enum<E>> void enumeration(String property, Class<E> type, Consumer<E> target) {
        Object value = read(property);
        if (value == null) {
            return;
        }
        String name = value.toString().trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                target.accept(constant);
                return;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            allowed.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new InvalidConfigurationException(property, value, "must be one of " + allowed);
    }

    /**
     * A {@link Predicate} of a method's results, as a {@link NamedPredicate}: the application's bean of that name,
     * or else an instance of the class of that name (with a no-argument constructor). One declared for
     * {@code Throwable}s is refused.
     */
    public void predicate(String property, Consumer<Predicate<Object>> target) {
        Object value = read(property);
        if (value == null) {
            return;
        }
        String name = value.toString().trim();
        Object bean = beans.apply(name);
        if (bean == null) {
            try {
                bean = ClassUtils.forName(name, classLoader).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError ex) {
                throw new InvalidConfigurationException(property, name, "must name a java.util.function.Predicate "
                        + "bean, or a Predicate class with a no-argument constructor; " + Quote.quoted(name)
                        + " is neither");
            }
        }
        if (!(bean instanceof Predicate<?> predicate)) {
            throw new InvalidConfigurationException(property, name, "must name a java.util.function.Predicate; "
                    + Quote.quoted(name) + " is a " + bean.getClass().getName());
        }
        NamedPredicate named = predicate instanceof NamedPredicate given ? given
                : new NamedPredicate(bean.getClass().getName(), predicate, ResolvableType.forInstance(bean));
        String refusal = named.refusal();
        if (refusal != null) {
            throw new InvalidConfigurationException(property, name, "must name a Predicate of the guarded methods' "
                    + "results; " + refusal);
        }
        target.accept(named);
    }

    /** A list of {@link Throwable} class names, resolved against the application's class loader. */
    public void exceptions(String property, Consumer<List<Class<? extends Throwable>>> target) {
        Object value = read(property);
        if (value == null) {
            return;
        }
        Collection<?> names = value instanceof Collection<?> collection ? collection
                : StringUtils.commaDelimitedListToSet(value.toString());
        List<Class<? extends Throwable>> classes = new ArrayList<>();
        for (Object name : names) {
            classes.add(throwableClass(property, name.toString().trim()));
        }
        target.accept(classes);
    }

    private Class<? extends Throwable> throwableClass(String property, String name) {
        try {
            Class<?> type = ClassUtils.forName(name, classLoader);
            if (Throwable.class.isAssignableFrom(type)) {
                return type.asSubclass(Throwable.class);
            }
        } catch (ClassNotFoundException | LinkageError ex) {
            throw new InvalidConfigurationException(property, name,
                    "must name Throwable classes on the class path; " + Quote.quoted(name) + " was not found");
        }
        throw new InvalidConfigurationException(property, name,
                "must name Throwable classes; " + Quote.quoted(name) + " is not a Throwable");
    }

    private Object read(String property) {
        unread.remove(property);
        return values.get(property);
    }

    private static <T> T convert(String property, Object value, Class<T> type, String allowed) {
        try {
            T converted = CONVERSION.convert(value, type);
            if (converted == null) {
                throw new InvalidConfigurationException(property, value, allowed);
            }
            return converted;
        } catch (ConversionException ex) {
            throw new InvalidConfigurationException(property, value, allowed);
        }
    }
}
