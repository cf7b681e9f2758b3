package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Degradable;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.autoconfigure.aop.PipelineFactory;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpoint;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointAutoConfiguration;
import dev.resilience.autoconfigure.health.CircuitBreakersHealthContributor;
import dev.resilience.autoconfigure.health.DegradationHealthIndicator;
import dev.resilience.autoconfigure.health.ResilienceHealthAutoConfiguration;
import dev.resilience.autoconfigure.health.ResilienceStatus;
import dev.resilience.autoconfigure.metrics.ResilienceMetricsAutoConfiguration;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.chaos.ChaosConfig;
import dev.resilience.chaos.ChaosRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.circuitbreaker.StateTransition;
import dev.resilience.core.RecentEvents;
import dev.resilience.core.Timing;
import dev.resilience.core.Workers;
import dev.resilience.degradation.DegradationLevel;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.degradation.FeatureConfig;
import dev.resilience.degradation.FeatureRegistry;
import dev.resilience.degradation.LevelChange;
import dev.resilience.degradation.OperationModes;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import dev.resilience.ratelimiter.RateLimitExceededException;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.retry.RetryRegistry;
import dev.resilience.timeout.CallTimeoutException;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Replacing any bean of the starter keeps every documented behaviour working with the replacement: events
 * (application events and the recent events), the degradation level, health, meters and the endpoint.
 */
class ReplacedBeansTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceHealthAutoConfiguration.class, ResilienceMetricsAutoConfiguration.class,
                    ResilienceEndpointAutoConfiguration.class, EndpointAutoConfiguration.class,
                    MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class))
            .withBean(Guarded.class)
            .withBean(Heard.class)
            .withPropertyValues("management.endpoints.web.exposure.include=resilience",
                    "resilience.retry.instances.inventory.max-attempts=2",
                    "resilience.retry.instances.inventory.wait-duration=1ms",
                    "resilience.ratelimiter.instances.api.limit-for-period=1",
                    "resilience.ratelimiter.instances.api.limit-refresh-period=1h",
                    "resilience.bulkhead.instances.pool.max-concurrent-calls=1",
                    "resilience.timeout.instances.slow.timeout-duration=50ms",
                    "resilience.chaos.enabled=true",
                    "resilience.chaos.instances.drill.latency=1ms",
                    "resilience.chaos.instances.drill.latency-rate=1",
                    "resilience.last-known-good.instances.quotes.max-staleness=10m");

    static Stream<Arguments> replacements() {
        return Stream.of(
                replacing("nothing", runner -> runner),
                replacing("CircuitBreakerRegistry", runner -> runner.withBean(CircuitBreakerRegistry.class,
                        Own::breakers)),
                replacing("RetryRegistry", runner -> runner.withBean(RetryRegistry.class, Own::retries)),
                replacing("BulkheadRegistry", runner -> runner.withBean(BulkheadRegistry.class, Own::bulkheads)),
                replacing("RateLimiterRegistry", runner -> runner.withBean(RateLimiterRegistry.class,
                        Own::rateLimiters)),
                replacing("TimeoutRegistry", runner -> runner.withBean(TimeoutRegistry.class, Own::timeouts)),
                replacing("FeatureRegistry", runner -> runner.withUserConfiguration(OwnFeatures.class)),
                replacing("ResilienceRegistries", runner -> runner.withUserConfiguration(OwnRegistries.class)),
                replacing("TimeoutWorkers", runner -> runner.withBean(TimeoutWorkers.class,
                        () -> new TimeoutWorkers(Executors.newCachedThreadPool()))),
                replacing("DegradationMonitor", runner -> runner.withBean(DegradationMonitor.class,
                        () -> new DegradationMonitor(Clock.systemUTC()))),
                replacing("RecentEvents", runner -> runner.withBean(RecentEvents.class,
                        () -> new RecentEvents(50, Timing.system()))),
                replacing("Timing", runner -> runner.withBean(Timing.class,
                        () -> Timing.system(Executors.newSingleThreadScheduledExecutor()))),
                replacing("ResilienceConfigurations", runner -> runner.withUserConfiguration(
                        OwnConfigurations.class)),
                replacing("PipelineFactory", runner -> runner.withUserConfiguration(OwnPipelineFactory.class)),
                replacing("ChaosRegistry", runner -> runner.withBean(ChaosRegistry.class, Own::chaos)),
                replacing("OperationModes", runner -> runner.withUserConfiguration(OwnModes.class)),
                replacing("ResilienceEndpoint", runner -> runner.withUserConfiguration(OwnEndpoint.class)));
    }

    private static Arguments replacing(String bean, UnaryOperator<ApplicationContextRunner> replacement) {
        return Arguments.of(bean, replacement);
    }

    @ParameterizedTest(name = "replacing {0}")
    @MethodSource("replacements")
    void everyBehaviourWorksOnWhicheverBeanExists(String bean, UnaryOperator<ApplicationContextRunner> replacement) {
        replacement.apply(runner).run(context -> {
            assertThat(context).hasNotFailed();
            ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
            RecentEvents events = context.getBean(RecentEvents.class);
            Guarded guarded = context.getBean(Guarded.class);
            Heard heard = context.getBean(Heard.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            assertThat(registries.bulkheads().find("pool")).as("configured instances exist from startup").isPresent();
            assertThat(meters.find("resilience.bulkhead.available.concurrent.calls").tag("name", "pool").gauge())
                    .isNotNull();

            assertThatThrownBy(guarded::flaky).isInstanceOf(IllegalStateException.class);
            registries.circuitBreakers().get("inventory").transitionToForcedOpen();
            assertThatThrownBy(guarded::flaky).isInstanceOf(CircuitBreakerOpenException.class);
            guarded.limited();
            assertThatThrownBy(guarded::limited).isInstanceOf(RateLimitExceededException.class);
            assertThatThrownBy(() -> guarded.inPool(() -> guarded.inPool(() -> "inner")))
                    .isInstanceOf(BulkheadFullException.class);
            assertThatThrownBy(guarded::slow).isInstanceOf(CallTimeoutException.class);
            registries.features().get("suggestions").setEnabled(false);
            assertThat(guarded.suggest()).isEqualTo("cheap");
            assertThat(guarded.drill()).isEqualTo("drilled");

            assertThat(heard.transitions).extracting(StateTransition::name, StateTransition::to)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("inventory", CircuitBreakerState.FORCED_OPEN));
            assertThat(heard.levels).extracting(LevelChange::to).containsExactly(DegradationLevel.MAJOR);
            assertThat(context.getBean(DegradationMonitor.class).level()).isEqualTo(DegradationLevel.MAJOR);
            assertThat(events.list()).extracting(event -> event.kind() + " " + event.name() + " " + event.type())
                    .contains("retry inventory RETRY", "circuitbreaker inventory STATE_TRANSITION",
                            "degradation level LEVEL_CHANGED", "circuitbreaker inventory REJECTED",
                            "ratelimiter api REJECTED", "bulkhead pool REJECTED", "timeout slow TIMEOUT",
                            "feature suggestions DISABLED", "chaos drill LATENCY");
            assertThat(events.list()).extracting(event -> event.kind() + " " + event.type())
                    .contains("fallback FALLBACK");

            HealthIndicator breakerHealth = (HealthIndicator) context.getBean(CircuitBreakersHealthContributor.class)
                    .getContributor("inventory");
            assertThat(breakerHealth.health().getStatus()).isEqualTo(ResilienceStatus.DEGRADED);
            assertThat(context.getBean(DegradationHealthIndicator.class).health().getStatus())
                    .isEqualTo(ResilienceStatus.DEGRADED);
            assertThat(meters.get("resilience.circuitbreaker.state").tags("name", "inventory", "state", "forced_open")
                    .gauge().value()).isEqualTo(1);
            assertThat(meters.get("resilience.degradation.level").gauge().value()).isEqualTo(2);
            assertThat(context.getBean(ResilienceEndpoint.class).instance("circuitbreakers", "inventory").getStatus())
                    .isEqualTo(200);

            ResilienceEndpoint endpoint = context.getBean(ResilienceEndpoint.class);
            assertThat(endpoint.change("lastknowngood", "quotes", null, Map.of("max-staleness", "2m"), null)
                    .getStatus()).as("a last known good instance changed at runtime").isEqualTo(200);
            assertThat(context.getBean(LastKnownGoodRegistry.class).get("quotes").getConfig().maxStaleness())
                    .isEqualTo(Duration.ofMinutes(2));

            context.getBean(OperationModes.class).override(DegradationLevel.CRITICAL, "drill", null);
            assertThat(context.getBean(DegradationMonitor.class).level()).isEqualTo(DegradationLevel.CRITICAL);
            assertThat(heard.levels).extracting(LevelChange::to).endsWith(DegradationLevel.CRITICAL);
            assertThat(events.list()).extracting(event -> event.kind() + " " + event.name() + " " + event.type())
                    .contains("degradation operator CRITICAL");
        });
    }

    /** Beans as an application would define them, configured like the properties above. */
    static final class Own {

        static CircuitBreakerRegistry breakers() {
            return new CircuitBreakerRegistry(name -> CircuitBreakerConfig.defaults(), Timing.system());
        }

        static RetryRegistry retries() {
            return new RetryRegistry(name -> RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ofMillis(1))
                    .build(), Timing.system());
        }

        static BulkheadRegistry bulkheads() {
            return new BulkheadRegistry(name -> BulkheadConfig.defaults().withMaxConcurrentCalls(1), Timing.system());
        }

        static RateLimiterRegistry rateLimiters() {
            return new RateLimiterRegistry(name -> RateLimiterConfig.defaults().withLimitForPeriod(1)
                    .withLimitRefreshPeriod(Duration.ofHours(1)), Timing.system());
        }

        static TimeoutRegistry timeouts() {
            return new TimeoutRegistry(name -> TimeoutConfig.defaults().withTimeoutDuration(Duration.ofMillis(50)),
                    Timing.system(), Workers.forTimeouts(false));
        }

        static FeatureRegistry features(DegradationMonitor monitor) {
            return new FeatureRegistry(name -> FeatureConfig.defaults(), monitor);
        }

        static ChaosRegistry chaos() {
            ChaosConfig drill = ChaosConfig.none().withLatency(Duration.ofMillis(1)).withLatencyRate(1);
            return new ChaosRegistry(name -> name.equals("drill") ? drill : ChaosConfig.none(), Timing.system(),
                    () -> 0.5);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnFeatures {
        @Bean
        FeatureRegistry ownFeatures(DegradationMonitor monitor) {
            return Own.features(monitor);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnModes {
        @Bean
        OperationModes ownModes(DegradationMonitor monitor, FeatureRegistry features) {
            return new OperationModes(java.util.List.of(), monitor, features, Timing.system());
        }
    }

    /** Registries that are no beans of their own: only the record knows them. */
    @Configuration(proxyBeanMethods = false)
    static class OwnRegistries {
        @Bean
        ResilienceRegistries ownRegistries(DegradationMonitor monitor) {
            return new ResilienceRegistries(Own.breakers(), Own.retries(), Own.bulkheads(), Own.rateLimiters(),
                    Own.timeouts(), Own.features(monitor));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnConfigurations {
        @Bean
        ResilienceConfigurations ownConfigurations(ResilienceProperties properties) {
            return ResilienceConfigurations.from(properties, getClass().getClassLoader(), name -> null);
        }
    }

    /** The endpoint as an application would make it, from the starter's public constructor. */
    @Configuration(proxyBeanMethods = false)
    static class OwnEndpoint {
        @Bean
        ResilienceEndpoint ownEndpoint(ResilienceRegistries registries, DegradationMonitor monitor,
                RecentEvents events, ResilienceConfigurations configurations, ChaosRegistry chaos,
                LastKnownGoodRegistry lastKnownGood) {
            return new ResilienceEndpoint(registries, monitor, events, configurations, chaos, lastKnownGood);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPipelineFactory {
        @Bean
        PipelineFactory ownPipelineFactory(ResilienceRegistries registries, ChaosRegistry chaos, Timing timing) {
            return new PipelineFactory(registries, chaos, timing);
        }
    }

    /** Collects the application events the starter publishes. */
    static class Heard {
        final List<StateTransition> transitions = new CopyOnWriteArrayList<>();
        final List<LevelChange> levels = new CopyOnWriteArrayList<>();

        @EventListener
        void on(StateTransition transition) {
            transitions.add(transition);
        }

        @EventListener
        void on(LevelChange change) {
            levels.add(change);
        }
    }

    public static class Guarded {
        @CircuitBreaker("inventory")
        @Retry("inventory")
        public String flaky() {
            throw new IllegalStateException("inventory down");
        }

        @RateLimiter("api")
        public String limited() {
            return "ok";
        }

        @Bulkhead("pool")
        public String inPool(Supplier<String> inside) {
            return inside.get();
        }

        @Timeout("slow")
        public String slow() throws InterruptedException {
            Thread.sleep(5_000);
            return "late";
        }

        @Degradable("suggestions")
        @Fallback("cheap")
        public String suggest() {
            return "rich";
        }

        @Bulkhead("drill")
        public String drill() {
            return "drilled";
        }

        private String cheap() {
            return "cheap";
        }
    }
}
