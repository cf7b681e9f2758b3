package dev.resilience.autoconfigure.properties;

import dev.resilience.chaos.ChaosConfig;
import dev.resilience.core.InvalidConfigurationException;
import dev.resilience.core.Quote;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/** Binds {@code resilience.chaos.instances.*}: failure-rate, exception, latency, latency-rate. */
public final class ChaosBinder {

    private static final String PREFIX = "resilience.chaos.instances.";

    private final ChaosProperties properties;
    private final ClassLoader classLoader;

    public ChaosBinder(ChaosProperties properties, ClassLoader classLoader) {
        this.properties = properties;
        this.classLoader = classLoader;
    }

    /** The configuration of name {@code name}; injects nothing when it has no entry. */
    public ChaosConfig forName(String name) {
        ChaosSpec spec = properties.getInstances().get(name);
        return spec == null ? ChaosConfig.none() : apply(name, ChaosConfig.none(), values(spec));
    }

    /** Resolves every configured entry, so that a bad value stops startup. */
    public void validateAll() {
        properties.getInstances().keySet().forEach(this::forName);
    }

    /**
     * {@code current} changed by {@code values} (as read from JSON), bound by Boot's {@code Binder} into
     * {@link ChaosSpec} and validated exactly as {@code application.yml} is.
     */
    public ChaosConfig change(String name, ChaosConfig current, Map<String, Object> values) {
        ChaosSpec spec = ResilienceBinding.bindEntry("resilience.chaos", ChaosProperties.class,
                ResilienceBinding.entry("resilience.chaos.instances", name), values).getInstances().get(name);
        return spec == null ? current : apply(name, current, values(spec));
    }

    private static Map<String, Object> values(ChaosSpec spec) {
        Map<String, Object> values = new LinkedHashMap<>();
        put(values, "failure-rate", spec.getFailureRate());
        put(values, "exception", spec.getException());
        put(values, "latency", spec.getLatency());
        put(values, "latency-rate", spec.getLatencyRate());
        return values;
    }

    private ChaosConfig apply(String name, ChaosConfig current, Map<String, Object> values) {
        PropertyValues read = new PropertyValues(values, classLoader, bean -> null);
        ChaosConfig[] result = {current};
        try {
            read.decimal("failure-rate", value -> result[0] = result[0].withFailureRate(value));
            read.exceptions("exception", classes -> {
                if (classes.size() != 1) {
                    throw new InvalidConfigurationException("exception", values.get("exception"),
                            "must name one Throwable class");
                }
                result[0] = result[0].withException(classes.get(0));
            });
            read.duration("latency", value -> result[0] = result[0].withLatency(value));
            read.decimal("latency-rate", value -> result[0] = result[0].withLatencyRate(value));
            read.unread().forEach((property, value) -> {
                throw new InvalidConfigurationException(property, value,
                        "is not a chaos property (failure-rate, exception, latency, latency-rate)");
            });
            return result[0];
        } catch (InvalidConfigurationException ex) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + name + "." + Quote.shortened(ex.property()),
                    Quote.shortened(ex.value()), ex.allowed());
        }
    }

    public static Map<String, Object> describe(ChaosConfig config) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("failure-rate", config.failureRate());
        description.put("exception", config.exception().getName());
        description.put("latency", config.latency().toString());
        description.put("latency-rate", config.latencyRate());
        return description;
    }

    private static void put(Map<String, Object> values, String property, Object value) {
        if (value != null) {
            values.put(property, value);
        }
    }
}
