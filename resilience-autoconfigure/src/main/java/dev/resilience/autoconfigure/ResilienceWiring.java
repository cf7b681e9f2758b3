package dev.resilience.autoconfigure;

import dev.resilience.autoconfigure.aop.PipelineFactory;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.chaos.ChaosRegistry;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.RecentEvents;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.degradation.FeatureRegistry;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import dev.resilience.retry.RetryRegistry;
import dev.resilience.timeout.TimeoutRegistry;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;

/**
 * Attaches the starter's behaviour to whichever registries, degradation monitor and pipeline factory the context
 * has, the starter's own or the application's replacements, as each bean is initialised (as Boot's
 * {@code MeterRegistryPostProcessor} does for meter registries): breakers log and record each transition, publish
 * it as a {@code StateTransition} application event and drive the degradation level; level changes are logged,
 * recorded and published as {@code LevelChange} events; every instance and fallback chain records its events in
 * {@link RecentEvents}; and every instance named in {@code resilience.*} (last-known-good ones included) is
 * created at startup, so that its meters
 * exist from then. Registries reached only through a replaced {@link ResilienceRegistries} are wired too.
 */
final class ResilienceWiring implements BeanPostProcessor, ApplicationEventPublisherAware {

    private static final ResilienceEventLogger LOGGER = new ResilienceEventLogger();

    private final ObjectProvider<RecentEvents> events;
    private final ObjectProvider<DegradationMonitor> monitor;
    private final ObjectProvider<ResilienceConfigurations> configurations;
    private final ObjectProvider<ResilienceProperties> properties;
    /** Each target once, though a registry may be reached both as a bean and through ResilienceRegistries. */
    private final Set<Object> wired = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private ApplicationEventPublisher publisher;

    ResilienceWiring(ObjectProvider<RecentEvents> events, ObjectProvider<DegradationMonitor> monitor,
            ObjectProvider<ResilienceConfigurations> configurations, ObjectProvider<ResilienceProperties> properties) {
        this.events = events;
        this.monitor = monitor;
        this.configurations = configurations;
        this.properties = properties;
    }

    @Override
    public void setApplicationEventPublisher(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof ResilienceRegistries registries) {
            List.of(registries.circuitBreakers(), registries.retries(), registries.bulkheads(),
                    registries.rateLimiters(), registries.timeouts(), registries.features()).forEach(this::wire);
        } else {
            wire(bean);
        }
        return bean;
    }

    private void wire(Object target) {
        if (target instanceof CircuitBreakerRegistry breakers) {
            wire(breakers, this::watch, configured(all -> all.circuitBreakers().configuredInstances()));
        } else if (target instanceof RetryRegistry retries) {
            wire(retries, (retry, sink) -> retry.setEventSink(sink), configured(all -> all.retries()
                    .configuredInstances()));
        } else if (target instanceof BulkheadRegistry bulkheads) {
            wire(bulkheads, (bulkhead, sink) -> bulkhead.setEventSink(sink), configured(all -> all.bulkheads()
                    .configuredInstances()));
        } else if (target instanceof RateLimiterRegistry limiters) {
            wire(limiters, (limiter, sink) -> limiter.setEventSink(sink), configured(all -> all.rateLimiters()
                    .configuredInstances()));
        } else if (target instanceof TimeoutRegistry timeouts) {
            wire(timeouts, (timeout, sink) -> timeout.setEventSink(sink), configured(all -> all.timeouts()
                    .configuredInstances()));
        } else if (target instanceof FeatureRegistry features) {
            wire(features, (feature, sink) -> feature.setEventSink(sink), configured(all -> all.features()
                    .configuredFeatures()));
        } else if (target instanceof ChaosRegistry chaos) {
            ResilienceProperties bound = properties.getIfAvailable();
            wire(chaos, (instance, sink) -> instance.setEventSink(sink),
                    bound == null ? List.of() : bound.getChaos().getInstances().keySet());
        } else if (target instanceof LastKnownGoodRegistry lastKnownGood) {
            ResilienceProperties bound = properties.getIfAvailable();
            wire(lastKnownGood, (instance, sink) -> instance.setEventSink(sink),
                    bound == null ? List.of() : bound.getLastKnownGood().getInstances().keySet());
        } else if (target instanceof DegradationMonitor degradation && wired.add(degradation)) {
            RecentEvents sink = events.getObject();
            degradation.addListener(change -> {
                LOGGER.onLevelChange(change);
                sink.publish("degradation", "level", "LEVEL_CHANGED", change.from() + " -> " + change.to()
                        + ", open breakers " + change.impaired());
                publisher.publishEvent(change);
            });
        } else if (target instanceof PipelineFactory factory && wired.add(factory)) {
            RecentEvents sink = events.getObject();
            factory.onFallbackChain(chain -> chain.setEventSink(sink));
        }
    }

    /** Wires each instance the registry has or creates later, then creates the configured ones. */
    private <T> void wire(InstanceRegistry<T> registry, BiConsumer<T, RecentEvents> wiring,
            Collection<String> configured) {
        if (wired.add(registry)) {
            RecentEvents sink = events.getObject();
            registry.onCreate(instance -> wiring.accept(instance, sink));
            configured.forEach(registry::get);
        }
    }

    private void watch(CircuitBreaker breaker, RecentEvents sink) {
        breaker.addListener(transition -> {
            LOGGER.onTransition(breaker, transition);
            sink.publish("circuitbreaker", transition.name(), "STATE_TRANSITION",
                    transition.from() + " -> " + transition.to());
        });
        breaker.addListener(publisher::publishEvent);
        breaker.setEventSink(sink);
        monitor.ifAvailable(degradation -> degradation.watch(breaker));
    }

    private Collection<String> configured(Function<ResilienceConfigurations, Collection<String>> names) {
        ResilienceConfigurations all = configurations.getIfAvailable();
        return all == null ? List.of() : names.apply(all);
    }
}
