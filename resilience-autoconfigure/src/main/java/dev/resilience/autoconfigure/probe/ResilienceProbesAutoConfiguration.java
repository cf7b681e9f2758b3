package dev.resilience.autoconfigure.probe;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceRegistries;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.core.EventSink;
import dev.resilience.core.RecentEvents;
import dev.resilience.core.Timing;
import dev.resilience.degradation.DegradationMonitor;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/** Dependency probes ({@code resilience.probes.*} and {@code @HealthProbe} methods), checked in the background. */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnBean(ResilienceRegistries.class)
public final class ResilienceProbesAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ResilienceProbes resilienceProbes(ResilienceProperties properties, ListableBeanFactory beans,
            ResilienceRegistries registries, ObjectProvider<DegradationMonitor> monitor, Timing timing,
            ObjectProvider<RecentEvents> events, ApplicationEventPublisher publisher) {
        EventSink sink = events.getIfAvailable();
        return new ResilienceProbes(properties, beans, registries.circuitBreakers(), monitor.getIfAvailable(), timing,
                sink != null ? sink : EventSink.NONE, publisher::publishEvent);
    }
}
