package dev.resilience.autoconfigure.properties;

import java.util.LinkedHashMap;
import java.util.Map;

/** Puts the non-null values of a spec into a map by kebab-case name. */
final class Values {

    private final Map<String, Object> values = new LinkedHashMap<>();

    Values put(String property, Object value) {
        if (value != null) {
            values.put(property, value);
        }
        return this;
    }

    Map<String, Object> map() {
        return values;
    }
}
