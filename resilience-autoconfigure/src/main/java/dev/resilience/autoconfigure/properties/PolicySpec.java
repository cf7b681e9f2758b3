package dev.resilience.autoconfigure.properties;

import java.util.Map;

/**
 * The properties of one {@code configs} or {@code instances} entry as written: only the values the user set,
 * by their kebab-case names.
 */
public interface PolicySpec {

    /** The shared configuration this entry starts from, or {@code null} for {@code default}. */
    String getBaseConfig();

    /** The values set in this entry, by kebab-case property name; unset properties are absent. */
    Map<String, Object> values();
}
