package dev.resilience.autoconfigure;

import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.degradation.Feature;
import dev.resilience.degradation.FeatureRegistry;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryRegistry;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
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
    private final ResilienceConfigurations configurations;
    private final CircuitBreakerRegistry breakers;
    private final RetryRegistry retries;
    private final BulkheadRegistry bulkheads;
    private final FeatureRegistry features;
    private final DegradationMonitor monitor;

    ResilienceRefresher(Environment environment, ClassLoader classLoader, ResilienceConfigurations configurations,
            CircuitBreakerRegistry breakers, RetryRegistry retries, BulkheadRegistry bulkheads,
            FeatureRegistry features, DegradationMonitor monitor) {
        this.environment = environment;
        this.classLoader = classLoader;
        this.configurations = configurations;
        this.breakers = breakers;
        this.retries = retries;
        this.bulkheads = bulkheads;
        this.features = features;
        this.monitor = monitor;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event.getClass().getName().equals(EVENT) && namesResilienceKeys(event)) {
            refresh();
        }
    }

    /** Rebinds {@code resilience.*} and reconfigures the instances whose configuration changed. */
    void refresh() {
        ResilienceProperties properties = Binder.get(environment).bindOrCreate("resilience",
                ResilienceProperties.class);
        ResilienceConfigurations fresh = ResilienceConfigurations.from(properties, classLoader);
        List<Runnable> changes = new ArrayList<>();
        try {
            fresh.validateAll();
            plan(changes, breakers.all(), breaker -> fresh.circuitBreakers().forInstance(breaker.getName()),
                    CircuitBreaker::getConfig, CircuitBreaker::reconfigure);
            plan(changes, retries.all(), retry -> fresh.retries().forInstance(retry.getName()), Retry::getConfig,
                    Retry::reconfigure);
            plan(changes, bulkheads.all(), bulkhead -> fresh.bulkheads().forInstance(bulkhead.getName()),
                    Bulkhead::getConfig, Bulkhead::reconfigure);
            plan(changes, features.all(), feature -> fresh.features().forFeature(feature.getName()),
                    Feature::getConfig, Feature::reconfigure);
        } catch (RuntimeException ex) {
            logger.error("Kept the current resilience configuration: the refreshed one is invalid: "
                    + ex.getMessage());
            return;
        }
        changes.forEach(Runnable::run);
        configurations.circuitBreakers().useProperties(properties.getCircuitbreaker());
        configurations.retries().useProperties(properties.getRetry());
        configurations.bulkheads().useProperties(properties.getBulkhead());
        configurations.features().useProperties(properties.getDegradation());
        monitor.recompute();
        logger.info("Applied the refreshed resilience configuration to " + changes.size() + " instance(s)");
    }

    private static <T, C> void plan(List<Runnable> changes, Collection<T> instances,
            Function<T, C> resolve, Function<T, C> current,
            BiConsumer<T, C> apply) {
        for (T instance : instances) {
            C updated = resolve.apply(instance);
            if (!updated.equals(current.apply(instance))) {
                changes.add(() -> apply.accept(instance, updated));
            }
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
