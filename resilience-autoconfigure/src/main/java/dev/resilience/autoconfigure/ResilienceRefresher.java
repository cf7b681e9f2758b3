package dev.resilience.autoconfigure;

import dev.resilience.autoconfigure.properties.LastKnownGoodBinder;
import dev.resilience.autoconfigure.properties.ResilienceBinding;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.lastknowngood.LastKnownGood;
import dev.resilience.lastknowngood.LastKnownGoodConfig;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.util.ReflectionUtils;

/**
 * When Spring Cloud refreshes the environment (an {@code EnvironmentChangeEvent} naming {@code resilience.*}
 * keys), binds {@code resilience.*} anew, validates all of it as at startup, and then gives every instance whose
 * effective configuration changed its new one, as the actuator endpoint does: breakers keep their state. A bad
 * value is logged and changes nothing. Spring Cloud is not a dependency: the event is recognised by name.
 */
final class ResilienceRefresher implements ApplicationListener<ApplicationEvent> {

    static final String EVENT = "org.springframework.cloud.context.environment.EnvironmentChangeEvent";

    private static final Log logger = LogFactory.getLog(ResilienceRefresher.class);

    private final Environment environment;
    private final ClassLoader classLoader;
    private final Function<String, Object> beans;
    private final Supplier<?> rateLimiterBackend;
    private final ResilienceConfigurations configurations;
    private final ResilienceRegistries registries;
    private final DegradationMonitor monitor;
    private final Supplier<LastKnownGoodRegistry> lastKnownGood;

    ResilienceRefresher(Environment environment, ClassLoader classLoader, Function<String, Object> beans,
            Supplier<?> rateLimiterBackend, ResilienceConfigurations configurations, ResilienceRegistries registries,
            DegradationMonitor monitor, Supplier<LastKnownGoodRegistry> lastKnownGood) {
        this.environment = environment;
        this.classLoader = classLoader;
        this.beans = beans;
        this.rateLimiterBackend = rateLimiterBackend;
        this.configurations = configurations;
        this.registries = registries;
        this.monitor = monitor;
        this.lastKnownGood = lastKnownGood;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event.getClass().getName().equals(EVENT) && namesResilienceKeys(event)) {
            refresh();
        }
    }

    /** Rebinds {@code resilience.*} and reconfigures the instances whose configuration changed. */
    void refresh() {
        List<Runnable> changes = new ArrayList<>();
        ResilienceProperties properties;
        try {
            properties = ResilienceBinding.bind(Binder.get(environment));
            ResilienceConfigurations fresh = ResilienceConfigurations.from(properties, classLoader, beans,
                    rateLimiterBackend);
            fresh.validateAll();
            for (ResilienceKind<?, ?> kind : ResilienceKind.ALL) {
                plan(changes, kind, fresh);
            }
            planLastKnownGood(changes, fresh);
        } catch (RuntimeException ex) {
            logger.error("Kept the current resilience configuration: the refreshed one is invalid: "
                    + ex.getMessage());
            return;
        }
        changes.forEach(Runnable::run);
        configurations.useProperties(properties);
        monitor.recompute();
        logger.info("Applied the refreshed resilience configuration to " + changes.size() + " instance(s)");
    }

    private <T, C> void plan(List<Runnable> changes, ResilienceKind<T, C> kind, ResilienceConfigurations fresh) {
        for (T instance : kind.registry(registries).all()) {
            C updated = kind.resolve(fresh, kind.instanceName(instance));
            if (!updated.equals(kind.config(instance))) {
                changes.add(() -> kind.reconfigure(instance, updated));
            }
        }
    }

    /** Last known good instances take what calls read; their cache and its size are fixed when created. */
    private void planLastKnownGood(List<Runnable> changes, ResilienceConfigurations fresh) {
        LastKnownGoodRegistry registry = lastKnownGood.get();
        if (registry == null) {
            return;
        }
        for (LastKnownGood instance : registry.all()) {
            LastKnownGoodConfig current = instance.getConfig();
            LastKnownGoodConfig updated = fresh.lastKnownGood().forInstance(instance.getName());
            if (updated.equals(current)) {
                continue;
            }
            LastKnownGoodBinder.checkRuntimeChange(instance.getName(), current, updated);
            changes.add(() -> instance.reconfigure(updated));
        }
    }

    private static boolean namesResilienceKeys(ApplicationEvent event) {
        Method getKeys = ReflectionUtils.findMethod(event.getClass(), "getKeys");
        if (getKeys == null) {
            return false;
        }
        Object keys = ReflectionUtils.invokeMethod(getKeys, event);
        return keys instanceof Collection<?> names
                && names.stream().anyMatch(key -> String.valueOf(key).startsWith("resilience."));
    }
}
