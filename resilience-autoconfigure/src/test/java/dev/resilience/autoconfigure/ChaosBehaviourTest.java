package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpoint;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointAutoConfiguration;
import dev.resilience.autoconfigure.metrics.ResilienceMetricsAutoConfiguration;
import dev.resilience.chaos.ChaosRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Fault injection through real beans: faults are injected innermost and every policy reacts to them. */
class ChaosBehaviourTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceMetricsAutoConfiguration.class, ResilienceEndpointAutoConfiguration.class,
                    EndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withBean(Provider.class, Provider::new)
            .withPropertyValues("management.endpoints.web.exposure.include=resilience",
                    "resilience.circuitbreaker.instances.primary.minimum-number-of-calls=10",
                    "resilience.circuitbreaker.instances.primary.sliding-window-size=10");

    @Test
    void injectedFailuresOpenTheBreakerAndTheFallbackAnswers() {
        runner.withPropertyValues("resilience.chaos.enabled=true", "resilience.chaos.seed=42",
                "resilience.chaos.instances.primary.failure-rate=1").run(context -> {
                    Provider provider = context.getBean(Provider.class);

                    for (int i = 0; i < 10; i++) {
                        assertThat(provider.answer()).isEqualTo("secondary after InjectedFaultException");
                    }

                    assertThat(provider.calls()).as("the method itself never ran").hasValue(0);
                    assertThat(context.getBean(CircuitBreakerRegistry.class).get("primary").getState())
                            .isEqualTo(CircuitBreakerState.OPEN);
                    assertThat(context.getBean(MeterRegistry.class).get("resilience.chaos.injected")
                            .tags("name", "primary", "kind", "failure").functionCounter().count()).isEqualTo(10);
                });
    }

    @Test
    void latencyIsInjectedInsideTheBulkhead() {
        runner.withPropertyValues("resilience.chaos.enabled=true",
                "resilience.chaos.instances.pool.latency=300ms", "resilience.chaos.instances.pool.latency-rate=1")
                .run(context -> {
                    assertThat(context.getBean(Provider.class).pooled()).isEqualTo("pooled");

                    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(300).toNanos());
                });
    }

    @Test
    void anInjectedFailureIsAMonosFailureAndItsFallbackAnswersWithoutCallingTheMethod() {
        runner.withPropertyValues("resilience.chaos.enabled=true", "resilience.chaos.instances.primary.failure-rate=1")
                .run(context -> {
                    Provider provider = context.getBean(Provider.class);

                    StepVerifier.create(provider.answerMono()).expectNext("secondary after InjectedFaultException")
                            .verifyComplete();

                    assertThat(provider.calls()).as("the method itself never ran").hasValue(0);
                    assertThat(context.getBean(CircuitBreakerRegistry.class).get("primary").getMetrics().failedCalls())
                            .isEqualTo(1);
                });
    }

    @Test
    void latencyIsInjectedIntoAMonoOnReactorsSchedulerInsideTheBulkhead() {
        runner.withPropertyValues("resilience.chaos.enabled=true",
                "resilience.chaos.instances.pool.latency=300ms", "resilience.chaos.instances.pool.latency-rate=1")
                .run(context -> {
                    Provider provider = context.getBean(Provider.class);
                    dev.resilience.bulkhead.Bulkhead bulkhead =
                            context.getBean(dev.resilience.bulkhead.BulkheadRegistry.class).get("pool");

                    StepVerifier.withVirtualTime(provider::pooledMono).expectSubscription()
                            .then(() -> assertThat(bulkhead.getAvailableConcurrentCalls()).as("held while delayed")
                                    .isEqualTo(bulkhead.getConfig().maxConcurrentCalls() - 1))
                            .expectNoEvent(Duration.ofMillis(299)).thenAwait(Duration.ofMillis(1))
                            .expectNext("pooled").verifyComplete();

                    assertThat(provider.calls()).hasValue(1);
                    assertThat(bulkhead.getAvailableConcurrentCalls())
                            .isEqualTo(bulkhead.getConfig().maxConcurrentCalls());
                    assertThat(time.sleeps()).as("no thread slept").isEmpty();
                });
    }

    @Test
    void aMonoCancelledDuringInjectedLatencyNeverRunsAndGivesItsSlotBack() {
        runner.withPropertyValues("resilience.chaos.enabled=true",
                "resilience.chaos.instances.pool.latency=300ms", "resilience.chaos.instances.pool.latency-rate=1")
                .run(context -> {
                    Provider provider = context.getBean(Provider.class);
                    dev.resilience.bulkhead.Bulkhead bulkhead =
                            context.getBean(dev.resilience.bulkhead.BulkheadRegistry.class).get("pool");

                    StepVerifier.withVirtualTime(provider::pooledMono).expectSubscription()
                            .expectNoEvent(Duration.ofMillis(100)).thenCancel().verify(Duration.ofSeconds(5));

                    assertThat(provider.calls()).hasValue(0);
                    assertThat(bulkhead.getAvailableConcurrentCalls())
                            .isEqualTo(bulkhead.getConfig().maxConcurrentCalls());
                });
    }

    @Test
    void chaosIsChangedAtRuntimeThroughTheEndpoint() {
        runner.withPropertyValues("resilience.chaos.enabled=true").run(context -> {
            ResilienceEndpoint endpoint = context.getBean(ResilienceEndpoint.class);
            Provider provider = context.getBean(Provider.class);
            assertThat(provider.answer()).isEqualTo("primary");

            assertThat(endpoint.change("chaos", "primary", null, Map.of("failure-rate", 1), null).getStatus())
                    .isEqualTo(200);

            assertThat(provider.answer()).isEqualTo("secondary after InjectedFaultException");
            assertThat(endpoint.change("chaos", "nobody", null, Map.of("failure-rate", 1), null).getStatus())
                    .isEqualTo(404);
            assertThat(endpoint.change("chaos", "primary", null, Map.of("failure-rate", 2), null).getStatus())
                    .isEqualTo(400);
            assertThat(endpoint.overview().get("chaos").toString()).contains("primary", "failure-rate=1.0");
        });
    }

    @Test
    void whileDisabledNothingIsInjectedAndNoMeterExists() {
        runner.withPropertyValues("resilience.chaos.instances.primary.failure-rate=1").run(context -> {
            assertThat(context).doesNotHaveBean(ChaosRegistry.class);

            assertThat(context.getBean(Provider.class).answer()).isEqualTo("primary");

            assertThat(context.getBean(MeterRegistry.class).find("resilience.chaos.injected").meters()).isEmpty();
            assertThat(context.getBean(ResilienceEndpoint.class).change("chaos", "primary", null,
                    Map.of("failure-rate", 1), null).getStatus()).isEqualTo(404);
        });
    }

    /** Public: proxied with CGLIB. */
    public static class Provider {
        private final AtomicInteger calls = new AtomicInteger();

        public AtomicInteger calls() {
            return calls;
        }

        @CircuitBreaker("primary")
        @Fallback("secondary")
        public String answer() {
            calls.incrementAndGet();
            return "primary";
        }

        String secondary(Exception failure) {
            return "secondary after " + failure.getClass().getSimpleName();
        }

        @Bulkhead("pool")
        public String pooled() {
            return "pooled";
        }

        @CircuitBreaker("primary")
        @Fallback("secondaryMono")
        public Mono<String> answerMono() {
            calls.incrementAndGet();
            return Mono.just("primary");
        }

        Mono<String> secondaryMono(Exception failure) {
            return Mono.just("secondary after " + failure.getClass().getSimpleName());
        }

        @Bulkhead("pool")
        public Mono<String> pooledMono() {
            calls.incrementAndGet();
            return Mono.just("pooled");
        }
    }
}
