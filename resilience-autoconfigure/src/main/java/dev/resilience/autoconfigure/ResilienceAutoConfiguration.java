package dev.resilience.autoconfigure;

import dev.resilience.autoconfigure.aop.Guards;
import dev.resilience.autoconfigure.aop.PipelineFactory;
import dev.resilience.autoconfigure.aop.ResilienceAdvisor;
import dev.resilience.autoconfigure.aop.ResilienceDeclarationValidator;
import dev.resilience.autoconfigure.aop.ResilienceInterceptor;
import dev.resilience.autoconfigure.lastknowngood.CacheAnswerStores;
import dev.resilience.autoconfigure.properties.ConfigResolver;
import dev.resilience.autoconfigure.properties.NamedPredicate;
import dev.resilience.autoconfigure.properties.ModeBinder;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.chaos.ChaosRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.StateTransition;
import dev.resilience.core.RecentEvents;
import dev.resilience.core.Timing;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.degradation.FeatureRegistry;
import dev.resilience.degradation.LevelChange;
import dev.resilience.degradation.OperationModes;
import dev.resilience.guard.Resilience;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import dev.resilience.ratelimiter.RateLimiterBackend;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import dev.resilience.retry.RetryRegistry;
import dev.resilience.timeout.TimeoutRegistry;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.thread.Threading;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Circuit breakers, retries, bulkheads, rate limiters, timeouts, degradable features and last known good answers
 * for annotated Spring beans, configured under {@code resilience.*}.
 * Every bean backs off when the application defines its own of the same type, and every bean name starts with
 * {@code resilience}, so that the starter runs beside Resilience4j's (whose registries are named
 * {@code circuitBreakerRegistry}, {@code retryRegistry}, ...).
 */
@AutoConfiguration(after = AopAutoConfiguration.class)
@EnableConfigurationProperties(ResilienceProperties.class)
@Import(ResilienceAutoConfiguration.AutoProxyRegistrar.class)
public final class ResilienceAutoConfiguration {

    /** Time for every policy: system time and a shared daemon scheduler thread. */
    @Bean
    @ConditionalOnMissingBean
    Timing resilienceTiming() {
        return Timing.system();
    }

    /** The strict check of {@code resilience.*}, which holds whichever configurations bean exists. */
    @Bean
    @ConditionalOnMissingBean
    static ResilienceStrictBinding resilienceStrictBinding() {
        return new ResilienceStrictBinding();
    }

    @Bean
    @ConditionalOnMissingBean
    ResilienceConfigurations resilienceConfigurations(ResilienceProperties properties, ResourceLoader resourceLoader,
            BeanFactory beanFactory) {
        ResilienceConfigurations configurations = ResilienceConfigurations.from(properties,
                resourceLoader.getClassLoader(), beans(beanFactory), rateLimiterBackend(beanFactory));
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

    /**
     * Attaches events, logging, degradation watching and the creation of configured instances to whichever
     * registries, monitor and pipeline factory exist, so that replacing one of them loses none of it.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static ResilienceWiring resilienceWiring(ObjectProvider<RecentEvents> events,
            ObjectProvider<DegradationMonitor> monitor, ObjectProvider<ResilienceConfigurations> configurations,
            ObjectProvider<ResilienceProperties> properties) {
        return new ResilienceWiring(events, monitor, configurations, properties);
    }

    /**
     * The degradation level; its changes are logged, recorded and published as {@link LevelChange} application
     * events (see {@link ResilienceWiring}).
     */
    @Bean
    @ConditionalOnMissingBean
    DegradationMonitor resilienceDegradationMonitor(Timing timing) {
        return new DegradationMonitor(timing.clock());
    }

    /**
     * Breakers log and record each transition, publish it as a {@link StateTransition} application event, and
     * drive the degradation level (see {@link ResilienceWiring}).
     */
    @Bean
    @ConditionalOnMissingBean
    CircuitBreakerRegistry resilienceCircuitBreakerRegistry(ResilienceConfigurations configurations, Timing timing) {
        return new CircuitBreakerRegistry(configurations.circuitBreakers()::forInstance, timing);
    }

    @Bean
    @ConditionalOnMissingBean
    RetryRegistry resilienceRetryRegistry(ResilienceConfigurations configurations, Timing timing) {
        return new RetryRegistry(configurations.retries()::forInstance, timing);
    }

    @Bean
    @ConditionalOnMissingBean
    BulkheadRegistry resilienceBulkheadRegistry(ResilienceConfigurations configurations, Timing timing) {
        return new BulkheadRegistry(configurations.bulkheads()::forInstance, timing);
    }

    @Bean
    @ConditionalOnMissingBean
    RateLimiterRegistry resilienceRateLimiterRegistry(ResilienceConfigurations configurations, Timing timing,
            ObjectProvider<RateLimiterBackend> backend) {
        return new RateLimiterRegistry(configurations.rateLimiters()::forInstance, timing, backend.getIfAvailable());
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
    TimeoutRegistry resilienceTimeoutRegistry(ResilienceConfigurations configurations, Timing timing,
            TimeoutWorkers workers) {
        return new TimeoutRegistry(configurations.timeouts()::forInstance, timing, workers.executor());
    }

    @Bean
    @ConditionalOnMissingBean
    FeatureRegistry resilienceFeatureRegistry(ResilienceConfigurations configurations, DegradationMonitor monitor) {
        return new FeatureRegistry(configurations.features()::forFeature, monitor);
    }

    /**
     * The operator's override of the degradation level and the named operation modes
     * ({@code resilience.degradation.modes}), selected at startup or through the endpoint.
     */
    @Bean
    @ConditionalOnMissingBean
    OperationModes resilienceOperationModes(ResilienceProperties properties, DegradationMonitor monitor,
            FeatureRegistry features, Timing timing) {
        return new OperationModes(ModeBinder.modes(properties.getDegradation()), monitor, features, timing);
    }

    /** Events, logs, checks and the startup selection, on whichever {@link OperationModes} exists. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static OperationModesStartup resilienceOperationModesStartup(ObjectProvider<OperationModes> modes,
            ObjectProvider<FeatureRegistry> features, ObjectProvider<RecentEvents> events,
            ObjectProvider<ResilienceProperties> properties) {
        return new OperationModesStartup(modes, features, events, properties);
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
    ChaosRegistry resilienceChaosRegistry(ResilienceProperties properties, ResilienceConfigurations configurations,
            Timing timing) {
        Long seed = properties.getChaos().getSeed();
        DoubleSupplier random = seed == null ? () -> ThreadLocalRandom.current().nextDouble()
                : new Random(seed)::nextDouble;
        return new ChaosRegistry(configurations.chaos()::forName, timing, random);
    }

    /**
     * {@code @LastKnownGood} instances ({@code resilience.last-known-good.*}, validated with the others), their
     * answers in the application's {@link CacheManager} when it has one, else in bounded caches of the starter's
     * own. Configured instances are created at startup (see {@link ResilienceWiring}), so that their meters exist
     * from then.
     */
    @Bean
    @ConditionalOnMissingBean
    LastKnownGoodRegistry resilienceLastKnownGoodRegistry(ResilienceConfigurations configurations,
            ObjectProvider<CacheManager> cacheManager, Timing timing) {
        return new LastKnownGoodRegistry(configurations.lastKnownGood()::forInstance,
                new CacheAnswerStores(cacheManager::getIfAvailable), timing);
    }

    @Bean
    @ConditionalOnMissingBean
    PipelineFactory resiliencePipelineFactory(ResilienceRegistries registries, ObjectProvider<ChaosRegistry> chaos,
            ObjectProvider<LastKnownGoodRegistry> lastKnownGood, Timing timing) {
        return new PipelineFactory(registries, chaos.getIfAvailable(), lastKnownGood.getIfAvailable(), timing);
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
            DegradationMonitor monitor, ObjectProvider<LastKnownGoodRegistry> lastKnownGood) {
        return new ResilienceRefresher(environment, resourceLoader.getClassLoader(), beans(beanFactory),
                rateLimiterBackend(beanFactory), configurations, registries, monitor, lastKnownGood::getIfAvailable);
    }

    /**
     * The application's bean of a name, or {@code null}; for predicates named in properties. A {@link Predicate}
     * bean comes as a {@link NamedPredicate} with the type its definition declares, so that one of the wrong type
     * is refused at startup and a failing one is named.
     */
    private static Function<String, Object> beans(BeanFactory beanFactory) {
        return name -> {
            if (!beanFactory.containsBean(name)) {
                return null;
            }
            Object bean = beanFactory.getBean(name);
            return bean instanceof Predicate<?> predicate
                    ? NamedPredicate.ofBean(name, predicate, declaredType(beanFactory, name)) : bean;
        };
    }

    /** The application's {@link RateLimiterBackend} whatever its bean's name, or {@code null}; asked when needed. */
    private static Supplier<RateLimiterBackend> rateLimiterBackend(BeanFactory beanFactory) {
        return () -> beanFactory.getBeanProvider(RateLimiterBackend.class).getIfAvailable();
    }

    /** The bean's type as its definition declares it (a {@code @Bean} method's generic return type). */
    private static ResolvableType declaredType(BeanFactory beanFactory, String name) {
        if (beanFactory instanceof ConfigurableBeanFactory configurable) {
            try {
                return configurable.getMergedBeanDefinition(name).getResolvableType();
            } catch (NoSuchBeanDefinitionException registeredAsSingleton) {
                return ResolvableType.NONE;
            }
        }
        return ResolvableType.NONE;
    }

    /**
     * Infrastructure role: picked up by whichever auto-proxy creator the application has. Not registered in
     * AspectJ mode ({@code resilience.aop.mode=aspectj}), where woven code runs the pipelines instead.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "resilience.aop.mode", havingValue = "proxy", matchIfMissing = true)
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
