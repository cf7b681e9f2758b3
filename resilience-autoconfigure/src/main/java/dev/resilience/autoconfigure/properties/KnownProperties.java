package dev.resilience.autoconfigure.properties;

import dev.resilience.core.Quote;
import java.beans.PropertyDescriptor;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.core.ResolvableType;

/**
 * Explains why a key is unknown, from the properties classes themselves (the same bean properties Boot's
 * {@code Binder} and the configuration metadata read), so that there is no second list of known keys: walks the
 * key's elements through the classes and, where an element matches no property, names the nearest one by edit
 * distance.
 */
final class KnownProperties {

    /** Resilience4j keys a migrating application may still carry, by their dashed name without dashes. */
    private static final Map<String, String> RESILIENCE4J = Map.ofEntries(
            Map.entry("registerhealthindicator", "every breaker is in /actuator/health here; criticality decides "
                    + "what an open one means"),
            Map.entry("allowhealthindicatortofail", "criticality decides whether an open breaker makes health "
                    + "DOWN, DEGRADED or leaves it UP"),
            Map.entry("eventconsumerbuffersize", "resilience.events.buffer-size sizes the recent events here"),
            Map.entry("automatictransitionfromopentohalfopenenabled", "not needed here: OPEN becomes HALF_OPEN at "
                    + "the next call or state read after wait-duration-in-open-state"),
            Map.entry("enableexponentialbackoff", "use backoff-multiplier (1.0 keeps the wait fixed)"),
            Map.entry("exponentialbackoffmultiplier", "use backoff-multiplier"),
            Map.entry("exponentialmaxwaitduration", "use max-wait-duration"),
            Map.entry("enablerandomizedwait", "use jitter"),
            Map.entry("randomizedwaitfactor", "use jitter"),
            Map.entry("recordfailurepredicate", "use record-exceptions and ignore-exceptions"),
            Map.entry("resultpredicate", "use retry-on-result"),
            Map.entry("recordresultpredicate", "use record-result"),
            Map.entry("writablestacktraceenabled", "has no equivalent here"));

    private KnownProperties() {
    }

    /** Why {@code unknown}, under {@code root} bound to {@code rootType}, is not a property. */
    static String unknown(ConfigurationPropertyName root, Class<?> rootType, ConfigurationPropertyName unknown) {
        ResolvableType type = ResolvableType.forClass(rootType);
        StringBuilder path = new StringBuilder(root.toString());
        for (int i = root.getNumberOfElements(); i < unknown.getNumberOfElements(); i++) {
            String element = unknown.getElement(i, Form.DASHED);
            Class<?> resolved = type.resolve(Object.class);
            if (Map.class.isAssignableFrom(resolved)) {
                path.append(element(unknown, i));
                type = type.asMap().getGeneric(1);
            } else if (Collection.class.isAssignableFrom(resolved) || resolved.isArray()) {
                path.append(element(unknown, i));
                type = resolved.isArray() ? type.getComponentType() : type.asCollection().getGeneric(0);
            } else if (isValue(resolved)) {
                return "is not a property: '" + path + "' takes one value, not a list or an object";
            } else {
                Map<String, ResolvableType> properties = properties(resolved);
                ResolvableType property = properties.get(element);
                if (property == null) {
                    return unknownElement(unknown, i, element, path, properties.keySet());
                }
                path.append('.').append(element);
                type = property;
            }
        }
        return "is not a property";
    }

    /**
     * Why {@code element}, at index {@code i} of {@code unknown} below {@code path}, matches none of {@code known}:
     * the nearest known one when it is near enough to be a typo, else the known ones; and for a Resilience4j key,
     * what to write instead.
     */
    private static String unknownElement(ConfigurationPropertyName unknown, int i, String element, CharSequence path,
            Collection<String> known) {
        if (element.length() > Quote.MAX_LENGTH) {
            return "is not a property";
        }
        String nearest = known.stream().min(Comparator.comparingInt(candidate -> distance(candidate, element)))
                .orElse(null);
        StringBuilder reason = new StringBuilder("is not a property");
        if (nearest != null && distance(nearest, element) <= Math.max(3, element.length() / 2)) {
            StringBuilder suggestion = new StringBuilder(path).append('.').append(nearest);
            for (int rest = i + 1; rest < unknown.getNumberOfElements(); rest++) {
                suggestion.append(element(unknown, rest));
            }
            reason.append("; the nearest known one is '").append(suggestion).append('\'');
        } else {
            reason.append(" of ").append(path).append("; known: ").append(known);
        }
        String resilience4j = RESILIENCE4J.get(element.replace("-", ""));
        if (resilience4j != null) {
            reason.append(" (a Resilience4j key: ").append(resilience4j).append(')');
        }
        return reason.toString();
    }

    /** Element {@code i} of {@code name} as written, with its leading dot or in brackets. */
    private static String element(ConfigurationPropertyName name, int i) {
        String original = name.getElement(i, Form.ORIGINAL);
        boolean plain = !name.isNumericIndex(i) && original.equals(name.getElement(i, Form.DASHED))
                && original.indexOf('.') < 0;
        return plain ? "." + original : "[" + original + "]";
    }

    /** The bound properties of a class, by kebab-case name, with their types. */
    private static Map<String, ResolvableType> properties(Class<?> type) {
        Map<String, ResolvableType> properties = new LinkedHashMap<>();
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getReadMethod() != null && !descriptor.getName().equals("class")) {
                properties.put(DataObjectPropertyName.toDashedForm(descriptor.getName()),
                        ResolvableType.forMethodReturnType(descriptor.getReadMethod(), type));
            }
        }
        return properties;
    }

    private static boolean isValue(Class<?> type) {
        return type.isPrimitive() || type.isEnum() || type.getName().startsWith("java.");
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
