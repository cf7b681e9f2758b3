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
                    if (element.length() > Quote.MAX_LENGTH) {
                        return "is not a property";
                    }
                    String nearest = properties.keySet().stream()
                            .min(Comparator.comparingInt(known -> distance(known, element))).orElse(null);
                    StringBuilder suggestion = new StringBuilder(path).append('.').append(nearest);
                    for (int rest = i + 1; rest < unknown.getNumberOfElements(); rest++) {
                        suggestion.append(element(unknown, rest));
                    }
                    return nearest == null ? "is not a property" : "is not a property; the nearest known one is '"
                            + suggestion + "'";
                }
                path.append('.').append(element);
                type = property;
            }
        }
        return "is not a property";
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
