package dev.resilience.deferred.autoconfigure;

import dev.resilience.deferred.DeferredCalls;
import dev.resilience.deferred.DeferredQueue;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code resilience.deferred.*} meters, wherever the application has Micrometer and a meter registry. */
@AutoConfiguration(after = DeferredCallsAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, DeferredCalls.class, DeferredQueue.class})
public final class DeferredCallsMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DeferredCallsMeterBinder resilienceDeferredCallsMeterBinder(DeferredCalls calls, DeferredQueue queue) {
        return new DeferredCallsMeterBinder(calls, queue);
    }
}
