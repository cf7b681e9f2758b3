package dev.resilience.core;

/**
 * A configuration value outside its allowed range. Names the property in kebab-case as it is
 * written in {@code application.yml}, so the Spring layer can prefix the full path. The message shows both
 * shortened by {@link Quote}; {@link #value()} and {@link #property()} are as given.
 */
public final class InvalidConfigurationException extends IllegalArgumentException {

    private final String property;
    private final transient Object value;
    private final String allowed;

    public InvalidConfigurationException(String property, Object value, String allowed) {
        super("Invalid value " + Quote.quoted(value) + " for " + Quote.quoted(property) + ": " + allowed);
        this.property = property;
        this.value = value;
        this.allowed = allowed;
    }

    /** The property's kebab-case name, e.g. {@code failure-rate-threshold}. */
    public String property() {
        return property;
    }

    /** The rejected value. */
    public Object value() {
        return value;
    }

    /** What would have been accepted, e.g. {@code must be in (0, 100]}. */
    public String allowed() {
        return allowed;
    }
}
