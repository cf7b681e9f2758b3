package dev.resilience.autoconfigure.metrics;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceRegistries;
import dev.resilience.autoconfigure.aop.PipelineFactory;
import dev.resilience.autoconfigure.probe.ResilienceProbes;
import dev.resilience.autoconfigure.probe.ResilienceProbesAutoConfiguration;
import dev.resilience.chaos.ChaosRegistry;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code resilience.*} meters, wherever the application has Micrometer and a meter registry. */
@AutoConfiguration(after = {ResilienceAutoConfiguration.class, ResilienceProbesAutoConfiguration.class}, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, ResilienceRegistries.class, PipelineFactory.class})
public final class ResilienceMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ResilienceMeterBinder resilienceMeterBinder(ResilienceRegistries registries, DegradationMonitor monitor,
            PipelineFactory pipelines, ObjectProvider<ChaosRegistry> chaos,
            ObjectProvider<LastKnownGoodRegistry> lastKnownGood) {
        return new ResilienceMeterBinder(registries, monitor, pipelines, chaos.getIfAvailable(),
                lastKnownGood.getIfAvailable());
    }

    @Bean
    @ConditionalOnBean(ResilienceProbes.class)
    @ConditionalOnMissingBean
    ProbeMeterBinder resilienceProbeMeterBinder(ResilienceProbes probes) {
        return new ProbeMeterBinder(probes);
    }
}
