package dev.resilience.autoconfigure.properties;

import dev.resilience.core.Quote;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyNameException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The one way {@code resilience.*} is bound, at startup, on an environment refresh and for a runtime change
 * sent to the actuator endpoint: Boot's {@link Binder} into the properties classes, refusing what Boot's lenient
 * defaults let through. An unknown key (a typo, a Resilience4j-only key, a kind that does not exist), a fraction
 * for a whole-number property, or a list or object where one value belongs raises
 * {@link InvalidConfigurationPropertyValueException} naming the full property path, the value (at most
 * {@value Quote#MAX_LENGTH} characters of it) and, for an unknown key, the nearest known property. A new section
 * under {@code resilience.*} must therefore be a property of {@link ResilienceProperties}, not a properties class of
 * its own.
 */
public final class ResilienceBinding {

    /** The prefix of every property of the starter. */
    public static final String PREFIX = "resilience";

    /**
     * Read only when a binding fails, so that a start with valid properties neither scans the class path for the
     * services nor compiles the pattern.
     */
    private static final class OnFailure {
        /** The sections of {@code resilience.*} that optional modules bind themselves ({@link ResilienceSection}). */
        static final List<ConfigurationPropertyName> SECTIONS = ServiceLoader
                .load(ResilienceSection.class, ResilienceBinding.class.getClassLoader()).stream()
                .map(provider -> ConfigurationPropertyName.of(PREFIX + "." + provider.get().name())).toList();

        static final Pattern LONG_ELEMENT = Pattern.compile("[^.\\[\\]]{" + (Quote.MAX_LENGTH + 1) + ",}");
    }

    private ResilienceBinding() {
    }

    /** Binds all of {@code resilience.*} from {@code binder}, strictly. */
    public static ResilienceProperties bind(Binder binder) {
        return bind(binder, PREFIX, ResilienceProperties.class);
    }

    /**
     * Binds the section {@code resilience.<section>} of an optional module into {@code type}, as strictly as the rest
     * of {@code resilience.*}; the module names the section in a {@link ResilienceSection} service so that
     * {@link #bind(Binder)} leaves it alone.
     */
    public static <T> T bindSection(Binder binder, String section, Class<T> type) {
        return bind(binder, PREFIX + "." + section, type);
    }

    /**
     * Binds {@code values} (as read from JSON: maps, lists and scalars of their original types) as if they were
     * written in {@code application.yml} under {@code entryPath} (e.g. {@code resilience.retry.instances[x]}),
     * into the class that binds {@code root} (e.g. {@link RetryProperties} for {@code resilience.retry}).
     */
    static <T> T bindEntry(String root, Class<T> type, String entryPath, Map<String, Object> values) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten(entryPath, values, flat);
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        flat.forEach((name, value) -> {
            try {
                source.put(name, value);
            } catch (InvalidConfigurationPropertyNameException ex) {
                throw invalid(name, value, "is not a property");
            }
        });
        return bind(new Binder(source), root, type);
    }

    /** The path of entry {@code key} of the map at {@code mapPath}, in brackets when the key needs them. */
    static String entry(String mapPath, String key) {
        return mapPath + (ConfigurationPropertyName.isValid(key) && !key.contains(".") ? "." + key : "[" + key + "]");
    }

    private static <T> T bind(Binder binder, String root, Class<T> type) {
        ConfigurationPropertyName rootName = ConfigurationPropertyName.of(root);
        BindHandler handler = new NoUnboundElementsBindHandler(new WholeNumbers(), ResilienceBinding::isChecked);
        try {
            return binder.bindOrCreate(rootName, Bindable.of(type), handler);
        } catch (BindException ex) {
            if (rootName.getNumberOfElements() == 1 && !OnFailure.SECTIONS.isEmpty()
                    && ex.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
                List<ConfigurationProperty> outside = unbound.getUnboundProperties().stream()
                        .filter(property -> OnFailure.SECTIONS.stream().noneMatch(section -> section.isAncestorOf(
                                property.getName())))
                        .toList();
                if (outside.isEmpty()) {
                    // Only a module's own sections are left, which that module binds strictly itself.
                    return binder.bindOrCreate(rootName, Bindable.of(type), new WholeNumbers());
                }
                throw unknown(rootName, type, outside);
            }
            throw translate(rootName, type, ex);
        }
    }

    /**
     * The operating system's environment is shared with other programs: a variable that merely starts with
     * {@code RESILIENCE_} (a tool's {@code RESILIENCE_HOME}, say) is not taken for a misspelt property, as Boot's own
     * unknown-field check does not. Its values still bind and are validated like any other.
     */
    private static boolean isChecked(ConfigurationPropertySource source) {
        return !(source.getUnderlyingSource() instanceof PropertySource<?> propertySource
                && StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(propertySource.getName()));
    }

    private static InvalidConfigurationPropertyValueException translate(ConfigurationPropertyName root,
            Class<?> type, BindException ex) {
        if (ex.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
            return unknown(root, type, List.copyOf(unbound.getUnboundProperties()));
        }
        // A setter that validates its value throws this; the binder may wrap it on its way up.
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidConfigurationPropertyValueException invalid) {
                return invalid;
            }
        }
        ConfigurationProperty property = ex.getProperty();
        String path = property != null ? property.getName().toString() : ex.getName().toString();
        Object value = property != null ? property.getValue() : null;
        return invalid(path, value, allowed(ex.getTarget()));
    }

    private static InvalidConfigurationPropertyValueException unknown(ConfigurationPropertyName root, Class<?> type,
            List<ConfigurationProperty> all) {
        ConfigurationProperty first = all.get(0);
        String reason = KnownProperties.unknown(root, type, first.getName());
        if (all.size() > 1) {
            reason += "; also unknown: " + all.stream().skip(1).limit(5)
                    .map(property -> shortened(property.getName().toString())).toList()
                    + (all.size() > 6 ? " and " + (all.size() - 6) + " more" : "");
        }
        return invalid(first.getName().toString(), first.getValue(), reason);
    }

    private static InvalidConfigurationPropertyValueException invalid(String path, Object value, String reason) {
        return new InvalidConfigurationPropertyValueException(shortened(path), Quote.shortened(value), reason);
    }

    /** The path with each over-long element (a name sent to the endpoint) shortened as {@link Quote} does. */
    private static String shortened(String path) {
        return OnFailure.LONG_ELEMENT.matcher(path)
                .replaceAll(match -> Matcher.quoteReplacement(Quote.shortened(match.group())));
    }

    private static String allowed(Bindable<?> target) {
        Class<?> type = target.getType().resolve(Object.class);
        if (isWholeNumber(type)) {
            return "must be a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "must be a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == Duration.class) {
            return "must be a duration such as 500ms, 10s or PT1M";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "must be a list of values";
        }
        return "must be a single value";
    }

    private static boolean isWholeNumber(Class<?> type) {
        return type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == Byte.class || type == byte.class;
    }

    /** JSON maps become dotted names, lists indexed names, as in properties files. */
    private static void flatten(String path, Object value, Map<String, Object> into) {
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            map.forEach((key, nested) -> flatten(path + "." + key, nested, into));
        } else if (value instanceof List<?> list && !list.isEmpty()) {
            for (int i = 0; i < list.size(); i++) {
                flatten(path + "[" + i + "]", list.get(i), into);
            }
        } else if (value == null) {
            throw invalid(path, null, "must have a value");
        } else {
            into.put(path, value);
        }
    }

    /** Refuses a fraction for a whole-number property, which Boot's conversion would truncate. */
    private static final class WholeNumbers extends AbstractBindHandler {

        @Override
        public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
                Object result) {
            ConfigurationProperty property = context.getConfigurationProperty();
            if (property != null && isWholeNumber(target.getType().resolve(Object.class))
                    && isFraction(property.getValue())) {
                throw invalid(name.toString(), property.getValue(), "must be a whole number");
            }
            return super.onSuccess(name, target, context, result);
        }

        private static boolean isFraction(Object value) {
            if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
                try {
                    return new BigDecimal(value.toString()).stripTrailingZeros().scale() > 0;
                } catch (NumberFormatException notFinite) {
                    return true;
                }
            }
            return false;
        }
    }
}
