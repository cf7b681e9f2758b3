package dev.resilience.autoconfigure.properties;

import dev.resilience.core.InvalidConfigurationException;
import dev.resilience.core.Quote;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Resolves the effective configuration of each instance of one kind: its own values, then those of its
 * {@code base-config} (and that config's base, and so on), then {@code configs.default}, then the built-in
 * defaults. A bad value is reported at the path where it was written, with the value and the allowed range.
 *
 * @param <S> the bound properties of one entry
 * @param <C> the core configuration type
 */
public final class ConfigResolver<S extends PolicySpec, C> {

    private static final String DEFAULT = "default";

    private volatile KindProperties<S> properties;
    private final ConfigBinder<C> binder;
    private final ClassLoader classLoader;
    private final Function<String, Object> beans;
    private final String prefix;
    // The configuration of every instance without an entry of its own, resolved once per set of properties: an
    // application may have hundreds of such instances (a breaker per bean), each resolved at startup.
    private volatile Unconfigured<C> unconfigured;

    /** @param beans the application's bean of a name, or {@code null} when it has none */
    public ConfigResolver(KindProperties<S> properties, ConfigBinder<C> binder, ClassLoader classLoader,
            Function<String, Object> beans) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.binder = Objects.requireNonNull(binder, "binder");
        this.classLoader = classLoader;
        this.beans = Objects.requireNonNull(beans, "beans");
        this.prefix = "resilience." + binder.kind() + ".";
    }

    public ConfigBinder<C> binder() {
        return binder;
    }

    /** Resolves from {@code refreshed} from now on; used when the environment changes at runtime. */
    public void useProperties(KindProperties<S> refreshed) {
        this.properties = Objects.requireNonNull(refreshed, "refreshed");
    }

    /** Names of the instances configured under {@code instances}. */
    public Set<String> configuredInstances() {
        return Collections.unmodifiableSet(properties.getInstances().keySet());
    }

    /**
     * The effective configuration of instance {@code name}; {@code configs.default} (or the built-in defaults)
     * when it has no {@code instances} entry.
     *
     * @throws InvalidConfigurationPropertyValueException for a bad value, naming its full property path
     */
    public C forInstance(String name) {
        KindProperties<S> current = properties;
        S spec = current.getInstances().get(name);
        if (spec == null) {
            Unconfigured<C> known = unconfigured;
            if (known != null && known.properties() == current) {
                return known.config();
            }
            C config = resolve(chain(prefix + "configs." + DEFAULT, current.getConfigs().get(DEFAULT), DEFAULT));
            unconfigured = new Unconfigured<>(current, config);
            return config;
        }
        return resolve(chain(prefix + "instances." + name, spec, null));
    }

    /** Resolves every shared configuration and instance, so that any bad value stops startup. */
    public void validateAll() {
        properties.getConfigs().forEach((name, spec) -> resolve(chain(prefix + "configs." + name, spec, name)));
        properties.getInstances().keySet().forEach(this::forInstance);
    }

    /**
     * {@code current} changed by {@code values} (as read from JSON) at runtime, bound and validated exactly as
     * {@code application.yml} is: by Boot's {@code Binder} into the same properties class, then resolved like
     * startup.
     *
     * @throws InvalidConfigurationPropertyValueException for a bad or unknown property, naming its path
     */
    public C change(String instance, C current, Map<String, Object> values) {
        String path = ResilienceBinding.entry(prefix + "instances", instance);
        KindProperties<?> bound = ResilienceBinding.bindEntry("resilience." + binder.kind(), properties.getClass(), path,
                values);
        PolicySpec spec = bound.getInstances().get(instance);
        if (spec == null) {
            return current;
        }
        if (spec.getBaseConfig() != null) {
            throw new InvalidConfigurationPropertyValueException(path + ".base-config",
                    Quote.shortened(spec.getBaseConfig()), "cannot be changed at runtime");
        }
        Map<String, String> origins = new LinkedHashMap<>();
        spec.values().keySet().forEach(property -> origins.put(property, path + "." + property));
        return apply(current, spec.values(), origins, path);
    }

    private C resolve(List<Level> chain) {
        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            Level level = chain.get(i);
            level.spec.values().forEach((property, value) -> {
                merged.put(property, value);
                origins.put(property, level.path + "." + property);
            });
        }
        if (merged.isEmpty()) {
            // Nothing written: the documented defaults as they are. Binding no values changes nothing, and it would
            // spin the binder's dozen method-reference classes at startup in an application that configures none.
            return binder.defaults();
        }
        return apply(binder.defaults(), merged, origins, chain.get(0).path);
    }

    private C apply(C base, Map<String, Object> values, Map<String, String> origins, String leafPath) {
        PropertyValues propertyValues = new PropertyValues(values, classLoader, beans);
        try {
            C config = binder.apply(base, propertyValues);
            propertyValues.unread().forEach((property, value) -> {
                throw new InvalidConfigurationException(property, value, "is not a property of a " + binder.kind());
            });
            return config;
        } catch (InvalidConfigurationException ex) {
            String path = origins.getOrDefault(ex.property(), leafPath + "." + Quote.shortened(ex.property()));
            throw new InvalidConfigurationPropertyValueException(path, Quote.shortened(ex.value()), ex.allowed());
        }
    }

    /** The entry and the shared configurations it inherits from, nearest first. */
    private List<Level> chain(String path, S spec, String configName) {
        List<Level> chain = new ArrayList<>();
        if (spec != null) {
            chain.add(new Level(path, spec));
        }
        if (DEFAULT.equals(configName)) {
            return chain.isEmpty() ? List.of(new Level(path, new EmptySpec())) : chain;
        }
        Set<String> seen = new LinkedHashSet<>();
        String referrer = path;
        String base = spec == null ? null : spec.getBaseConfig();
        String next = base != null ? base : DEFAULT;
        boolean explicit = base != null;
        while (true) {
            S config = properties.getConfigs().get(next);
            if (config == null) {
                if (explicit) {
                    throw new InvalidConfigurationPropertyValueException(referrer + ".base-config",
                            Quote.shortened(next),
                            "must name an entry of " + prefix + "configs " + properties.getConfigs().keySet());
                }
                break;
            }
            if (!seen.add(next) || next.equals(configName)) {
                throw new InvalidConfigurationPropertyValueException(referrer + ".base-config",
                        Quote.shortened(next), "must not form a cycle of base-configs " + seen);
            }
            referrer = prefix + "configs." + next;
            chain.add(new Level(referrer, config));
            if (DEFAULT.equals(next)) {
                break;
            }
            explicit = config.getBaseConfig() != null;
            next = explicit ? config.getBaseConfig() : DEFAULT;
        }
        return chain.isEmpty() ? List.of(new Level(path, new EmptySpec())) : chain;
    }

    private record Level(String path, PolicySpec spec) {
    }

    private record Unconfigured<C>(KindProperties<?> properties, C config) {
    }

    private static final class EmptySpec implements PolicySpec {
        @Override
        public String getBaseConfig() {
            return null;
        }

        @Override
        public Map<String, Object> values() {
            return Map.of();
        }
    }
}
