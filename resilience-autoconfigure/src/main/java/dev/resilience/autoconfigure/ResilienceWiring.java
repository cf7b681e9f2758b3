package dev.resilience.autoconfigure;

import dev.resilience.autoconfigure.aop.PipelineFactory;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.chaos.ChaosRegistry;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.RecentEvents;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
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
    // The monitor (or its absence), looked up at the first breaker rather than once per breaker: a lookup by type
    // walks the bean definitions, and an application may have a breaker per guarded method.
    private volatile Optional<DegradationMonitor> degradation;

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
            for (ResilienceKind<?, ?> kind : ResilienceKind.ALL) {
                wire(kind, kind.registry(registries));
            }
        } else {
            wire(bean);
        }
        return bean;
    }

    private void wire(Object target) {
        for (ResilienceKind<?, ?> kind : ResilienceKind.ALL) {
            if (wire(kind, target)) {
                return;
            }
        }
        if (target instanceof ChaosRegistry chaos) {
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

    /** Wires {@code target} if it is {@code kind}'s registry; breakers are watched besides recording events. */
    private <T> boolean wire(ResilienceKind<T, ?> kind, Object target) {
        InstanceRegistry<T> registry = kind.asRegistry(target);
        if (registry == null) {
            return false;
        }
        BiConsumer<T, RecentEvents> wiring = kind == ResilienceKind.CIRCUIT_BREAKER
                ? (instance, sink) -> watch((CircuitBreaker) instance, sink) : kind::recordEventsIn;
        ResilienceConfigurations all = configurations.getIfAvailable();
        wire(registry, wiring, all == null ? List.of() : kind.configured(all));
        return true;
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
        Optional<DegradationMonitor> watching = degradation;
        if (watching == null) {
            watching = Optional.ofNullable(monitor.getIfAvailable());
            degradation = watching;
        }
        watching.ifPresent(found -> found.watch(breaker));
    }
}
