package dev.resilience.autoconfigure;

import dev.resilience.autoconfigure.aop.Guards;
import dev.resilience.autoconfigure.aop.PipelineFactory;
import dev.resilience.autoconfigure.aop.ResilienceAdvisor;
import dev.resilience.autoconfigure.aop.ResilienceDeclarationValidator;
import dev.resilience.autoconfigure.aop.ResilienceInterceptor;
import dev.resilience.autoconfigure.properties.BulkheadSpec;
import dev.resilience.autoconfigure.properties.CircuitBreakerSpec;
import dev.resilience.autoconfigure.properties.ConfigResolver;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.autoconfigure.properties.RateLimiterSpec;
import dev.resilience.autoconfigure.properties.RetrySpec;
import dev.resilience.autoconfigure.properties.TimeoutSpec;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.chaos.ChaosRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.StateTransition;
import dev.resilience.core.RecentEvents;
import dev.resilience.core.Timing;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.degradation.FeatureRegistry;
import dev.resilience.degradation.LevelChange;
import dev.resilience.guard.Resilience;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.retry.RetryRegistry;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutRegistry;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Circuit breakers, retries, bulkheads, rate limiters, timeouts and degradable features for annotated Spring beans, configured under {@code resilience.*}.
 * Every bean backs off when the application defines its own of the same type.
 */
@AutoConfiguration(after = AopAutoConfiguration.class)
@EnableConfigurationProperties(ResilienceProperties.class)
@Import(ResilienceAutoConfiguration.AutoProxyRegistrar.class)
public final class ResilienceAutoConfiguration {

    private static final ResilienceEventLogger LOGGER = new ResilienceEventLogger();

    /** Time for every policy: system time and a shared daemon scheduler thread. */
    @Bean
    @ConditionalOnMissingBean
    Timing resilienceTiming() {
        return Timing.system();
    }

    @Bean
    @ConditionalOnMissingBean
    ResilienceConfigurations resilienceConfigurations(ResilienceProperties properties, ResourceLoader resourceLoader,
            BeanFactory beanFactory) {
        ResilienceConfigurations configurations = ResilienceConfigurations.from(properties,
                resourceLoader.getClassLoader(), beans(beanFactory));
        configurations.validateAll();
        return configurations;
    }

    /** The recent events the actuator endpoint shows. */
    @Bean
    @ConditionalOnMissingBean
    RecentEvents resilienceRecentEvents(ResilienceProperties properties, Timing timing) {
        int size = properties.getEvents().getBufferSize();
        if (size < 1 || size > 100_000) {
            throw new InvalidConfigurationPropertyValueException("resilience.events.buffer-size", size,
                    "must be in [1, 100000]");
        }
        return new RecentEvents(size, timing);
    }

    /** Level changes are logged, recorded and published as {@link LevelChange} application events. */
    @Bean
    @ConditionalOnMissingBean
    DegradationMonitor degradationMonitor(Timing timing, RecentEvents events, ApplicationEventPublisher publisher) {
        DegradationMonitor monitor = new DegradationMonitor(timing.clock());
        monitor.addListener(change -> {
            LOGGER.onLevelChange(change);
            events.publish("degradation", "level", "LEVEL_CHANGED", change.from() + " -> " + change.to()
                    + ", open breakers " + change.impaired());
            publisher.publishEvent(change);
        });
        return monitor;
    }

    /**
     * Breakers log and record each transition, publish it as a {@link StateTransition} application event, and
     * drive the degradation level.
     */
    @Bean
    @ConditionalOnMissingBean
    CircuitBreakerRegistry circuitBreakerRegistry(ResilienceConfigurations configurations, Timing timing,
            ApplicationEventPublisher publisher, RecentEvents events, DegradationMonitor monitor) {
        ConfigResolver<CircuitBreakerSpec, CircuitBreakerConfig> resolver = configurations.circuitBreakers();
        CircuitBreakerRegistry registry = new CircuitBreakerRegistry(resolver::forInstance, timing);
        registry.onCreate(breaker -> {
            breaker.addListener(transition -> {
                LOGGER.onTransition(breaker, transition);
                events.publish("circuitbreaker", transition.name(), "STATE_TRANSITION",
                        transition.from() + " -> " + transition.to());
            });
            breaker.addListener(publisher::publishEvent);
            breaker.setEventSink(events);
            monitor.watch(breaker);
        });
        resolver.configuredInstances().forEach(registry::get);
        return registry;
    }

    @Bean
    @ConditionalOnMissingBean
    RetryRegistry retryRegistry(ResilienceConfigurations configurations, Timing timing, RecentEvents events) {
        ConfigResolver<RetrySpec, RetryConfig> resolver = configurations.retries();
        RetryRegistry registry = new RetryRegistry(resolver::forInstance, timing);
        registry.onCreate(retry -> retry.setEventSink(events));
        resolver.configuredInstances().forEach(registry::get);
        return registry;
    }

    @Bean
    @ConditionalOnMissingBean
    BulkheadRegistry bulkheadRegistry(ResilienceConfigurations configurations, Timing timing, RecentEvents events) {
        ConfigResolver<BulkheadSpec, BulkheadConfig> resolver = configurations.bulkheads();
        BulkheadRegistry registry = new BulkheadRegistry(resolver::forInstance, timing);
        registry.onCreate(bulkhead -> bulkhead.setEventSink(events));
        resolver.configuredInstances().forEach(registry::get);
        return registry;
    }

    @Bean
    @ConditionalOnMissingBean
    RateLimiterRegistry rateLimiterRegistry(ResilienceConfigurations configurations, Timing timing,
            RecentEvents events) {
        ConfigResolver<RateLimiterSpec, RateLimiterConfig> resolver = configurations.rateLimiters();
        RateLimiterRegistry registry = new RateLimiterRegistry(resolver::forInstance, timing);
        registry.onCreate(limiter -> limiter.setEventSink(events));
        resolver.configuredInstances().forEach(registry::get);
        return registry;
    }

    /**
     * Runs synchronous calls under {@code @Timeout}: virtual threads when {@code spring.threads.virtual.enabled} is
     * true on JDK 21+, else platform daemon threads. Not an {@code Executor} bean, so that Boot's
     * {@code applicationTaskExecutor} stays. Shut down with the context.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    TimeoutWorkers resilienceTimeoutWorkers(Environment environment) {
        return TimeoutWorkers.create(Threading.VIRTUAL.isActive(environment));
    }

    @Bean
    @ConditionalOnMissingBean
    TimeoutRegistry timeoutRegistry(ResilienceConfigurations configurations, Timing timing, RecentEvents events,
            TimeoutWorkers workers) {
        ConfigResolver<TimeoutSpec, TimeoutConfig> resolver = configurations.timeouts();
        TimeoutRegistry registry = new TimeoutRegistry(resolver::forInstance, timing, workers.executor());
        registry.onCreate(timeout -> timeout.setEventSink(events));
        resolver.configuredInstances().forEach(registry::get);
        return registry;
    }

    @Bean
    @ConditionalOnMissingBean
    FeatureRegistry featureRegistry(ResilienceConfigurations configurations, DegradationMonitor monitor,
            RecentEvents events) {
        FeatureRegistry registry = new FeatureRegistry(configurations.features()::forFeature, monitor);
        registry.onCreate(feature -> feature.setEventSink(events));
        configurations.features().configuredFeatures().forEach(registry::get);
        return registry;
    }

    @Bean
    @ConditionalOnMissingBean
    ResilienceRegistries resilienceRegistries(CircuitBreakerRegistry circuitBreakers, RetryRegistry retries,
            BulkheadRegistry bulkheads, RateLimiterRegistry rateLimiters, TimeoutRegistry timeouts,
            FeatureRegistry features) {
        return new ResilienceRegistries(circuitBreakers, retries, bulkheads, rateLimiters, timeouts, features);
    }

    /** Fault injection, only while {@code resilience.chaos.enabled=true}; seeded by {@code resilience.chaos.seed}. */
    @Bean
    @ConditionalOnBooleanProperty("resilience.chaos.enabled")
    @ConditionalOnMissingBean
    ChaosRegistry chaosRegistry(ResilienceProperties properties, ResilienceConfigurations configurations,
            Timing timing, RecentEvents events) {
        Long seed = properties.getChaos().getSeed();
        DoubleSupplier random = seed == null ? () -> ThreadLocalRandom.current().nextDouble()
                : new Random(seed)::nextDouble;
        ChaosRegistry registry = new ChaosRegistry(configurations.chaos()::forName, timing, random);
        registry.onCreate(chaos -> chaos.setEventSink(events));
        properties.getChaos().getInstances().keySet().forEach(registry::get);
        return registry;
    }

    @Bean
    @ConditionalOnMissingBean
    PipelineFactory resiliencePipelineFactory(ResilienceRegistries registries, ObjectProvider<ChaosRegistry> chaos,
            Timing timing, RecentEvents events) {
        PipelineFactory factory = new PipelineFactory(registries, chaos.getIfAvailable(), timing);
        factory.onFallbackChain(chain -> chain.setEventSink(events));
        return factory;
    }

    /** Guards code without annotations, through the same pipelines as the annotated methods. */
    @Bean
    @ConditionalOnMissingBean
    Resilience resilience(PipelineFactory factory) {
        return new Guards(factory);
    }

    /** Takes changed {@code resilience.*} values when Spring Cloud refreshes the environment. */
    @Bean
    ResilienceRefresher resilienceRefresher(Environment environment, ResourceLoader resourceLoader,
            BeanFactory beanFactory, ResilienceConfigurations configurations, ResilienceRegistries registries,
            DegradationMonitor monitor) {
        return new ResilienceRefresher(environment, resourceLoader.getClassLoader(), beans(beanFactory),
                configurations, registries, monitor);
    }

    /** The application's bean of a name, or {@code null}; for predicates named in properties. */
    private static Function<String, Object> beans(BeanFactory beanFactory) {
        return name -> beanFactory.containsBean(name) ? beanFactory.getBean(name) : null;
    }

    /** Infrastructure role: picked up by whichever auto-proxy creator the application has. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static ResilienceAdvisor resilienceAdvisor(ObjectProvider<PipelineFactory> factory) {
        return new ResilienceAdvisor(new ResilienceInterceptor(factory::getObject));
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static ResilienceDeclarationValidator resilienceDeclarationValidator(ObjectProvider<PipelineFactory> factory) {
        return new ResilienceDeclarationValidator(factory);
    }

    /**
     * Makes sure an auto-proxy creator exists even where Boot's AOP auto-configuration is switched off
     * ({@code spring.aop.auto=false}); with one present (AspectJ's or the infrastructure one) it changes nothing.
     */
    static final class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {
        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }
    }
}
