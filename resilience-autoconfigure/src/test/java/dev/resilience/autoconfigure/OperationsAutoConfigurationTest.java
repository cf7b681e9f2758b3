package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpoint;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointAutoConfiguration;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointResource;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointWriteHandler;
import dev.resilience.autoconfigure.health.CircuitBreakersHealthContributor;
import dev.resilience.autoconfigure.health.DegradationHealthIndicator;
import dev.resilience.autoconfigure.health.ResilienceHealthAutoConfiguration;
import dev.resilience.autoconfigure.health.ResilienceStatus;
import dev.resilience.autoconfigure.metrics.ResilienceMeterBinder;
import dev.resilience.autoconfigure.metrics.ResilienceMetricsAutoConfiguration;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.FakeTime;
import dev.resilience.core.RecentEvents;
import dev.resilience.core.Timing;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** Health, meters and the endpoint, with and without Actuator and Micrometer on the class path. */
class OperationsAutoConfigurationTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceHealthAutoConfiguration.class, ResilienceMetricsAutoConfiguration.class,
                    ResilienceEndpointAutoConfiguration.class, EndpointAutoConfiguration.class,
                    MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withUserConfiguration(Beans.class)
            .withPropertyValues("management.endpoints.web.exposure.include=resilience",
                    "resilience.circuitbreaker.instances.payments.criticality=critical",
                    "resilience.circuitbreaker.instances.search.criticality=optional",
                    "resilience.circuitbreaker.instances.search.minimum-number-of-calls=2",
                    "resilience.retry.instances.search.max-attempts=2",
                    "resilience.retry.instances.search.budget.ratio=0.5",
                    "resilience.bulkhead.instances.pool.max-concurrent-calls=4",
                    "resilience.ratelimiter.instances.api.limit-for-period=7",
                    "resilience.timeout.instances.slow.timeout-duration=3s",
                    "resilience.degradation.features.suggestions.disable-at=minor");

    @Test
    void breakerHealthIsDegradedForAnOpenNonCriticalBreakerAndDownForACriticalOne() {
        runner.run(context -> {
            CircuitBreakersHealthContributor contributor = context.getBean(CircuitBreakersHealthContributor.class);
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
            assertThat(health(contributor, "search").getStatus()).isEqualTo(Status.UP);

            breakers.get("search").transitionToForcedOpen();
            breakers.get("payments").transitionToForcedOpen();

            Health search = health(contributor, "search");
            assertThat(search.getStatus()).isEqualTo(ResilienceStatus.DEGRADED);
            assertThat(search.getDetails()).containsOnlyKeys("state", "failureRate", "slowCallRate", "bufferedCalls",
                    "failedCalls", "notPermittedCalls", "criticality").containsEntry("criticality", "optional")
                    .containsEntry("state", CircuitBreakerState.FORCED_OPEN);
            assertThat(health(contributor, "payments").getStatus()).isEqualTo(Status.DOWN);
            assertThat(contributor.stream()).extracting(entry -> entry.name()).containsExactly("payments", "search");
        });
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aBreakerReportsTheTrialCallsThatReopenedOrClosedIt(CapturedOutput output) {
        runner.withPropertyValues("resilience.circuitbreaker.instances.trial.sliding-window-size=4",
                "resilience.circuitbreaker.instances.trial.minimum-number-of-calls=4",
                "resilience.circuitbreaker.instances.trial.permitted-number-of-calls-in-half-open-state=2",
                "resilience.circuitbreaker.instances.trial.wait-duration-in-open-state=30s").run(context -> {
                    ResilienceEndpoint endpoint = context.getBean(ResilienceEndpoint.class);
                    CircuitBreakersHealthContributor contributor = context
                            .getBean(CircuitBreakersHealthContributor.class);
                    dev.resilience.circuitbreaker.CircuitBreaker trial = context.getBean(CircuitBreakerRegistry.class)
                            .get("trial");
                    for (int i = 0; i < 4; i++) {
                        record(trial, Duration.ZERO, new IOException("down"));
                    }
                    time.advance(Duration.ofSeconds(30));
                    record(trial, Duration.ZERO, null);
                    record(trial, Duration.ZERO, new IOException("still down"));

                    assertThat(output).contains("Circuit breaker 'trial' HALF_OPEN -> OPEN (failure rate 50.0% of "
                            + "threshold 50.0%, slow-call rate 0.0% of threshold 100.0%, 2 calls");
                    assertThat(health(contributor, "trial").getDetails()).containsEntry("state",
                            CircuitBreakerState.OPEN).containsEntry("failureRate", 50f)
                            .containsEntry("bufferedCalls", 2).containsEntry("failedCalls", 1);
                    assertThat(endpoint.instance("circuitbreakers", "trial").getBody().toString())
                            .contains("failureRate=50.0", "bufferedCalls=2", "failedCalls=1");

                    time.advance(Duration.ofSeconds(30));
                    record(trial, Duration.ZERO, null);
                    record(trial, Duration.ZERO, null);

                    assertThat(output).contains("Circuit breaker 'trial' HALF_OPEN -> CLOSED (failure rate 0.0% of "
                            + "threshold 50.0%, slow-call rate 0.0% of threshold 100.0%, 2 calls");
                    assertThat(health(contributor, "trial").getDetails()).containsEntry("state",
                            CircuitBreakerState.CLOSED).containsEntry("failureRate", 0f)
                            .containsEntry("bufferedCalls", 2);
                });
    }

    @Test
    void degradationHealthFollowsTheLevel() {
        runner.run(context -> {
            DegradationHealthIndicator indicator = context.getBean(DegradationHealthIndicator.class);
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

            breakers.get("search").transitionToForcedOpen();
            assertThat(indicator.health().getStatus()).isEqualTo(ResilienceStatus.DEGRADED);
            assertThat(indicator.health().getDetails()).containsEntry("impaired", List.of("search"));
            breakers.get("payments").transitionToForcedOpen();

            assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(indicator.health().getDetails()).containsEntry("level",
                    dev.resilience.degradation.DegradationLevel.CRITICAL);
        });
    }

    @Test
    void healthComponentsCanBeSwitchedOff() {
        runner.withPropertyValues("management.health.circuitbreakers.enabled=false",
                "management.health.degradation.enabled=false").run(context -> {
                    assertThat(context).doesNotHaveBean(CircuitBreakersHealthContributor.class);
                    assertThat(context).doesNotHaveBean(DegradationHealthIndicator.class);
                });
    }

    @Test
    void metersOfConfiguredInstancesExistFromStartupForEveryTagValue() {
        runner.run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            assertThat(meters.find("resilience.circuitbreaker.state").tag("name", "payments").gauges())
                    .extracting(gauge -> gauge.getId().getTag("state"))
                    .containsExactlyInAnyOrder("closed", "open", "half_open", "forced_open", "disabled");
            assertThat(meters.get("resilience.circuitbreaker.state").tags("name", "payments", "state", "closed")
                    .gauge().value()).isEqualTo(1);
            assertThat(meters.find("resilience.circuitbreaker.calls").tag("name", "payments").timers())
                    .extracting(timer -> timer.getId().getTag("kind"))
                    .containsExactlyInAnyOrder("successful", "failed", "ignored");
            assertThat(meters.find("resilience.retry.calls").tag("name", "search").functionCounters())
                    .extracting(counter -> counter.getId().getTag("kind")).containsExactlyInAnyOrder(
                            "successful_without_retry", "successful_with_retry", "failed_with_retry",
                            "failed_without_retry");
            assertThat(meters.get("resilience.bulkhead.max.allowed.concurrent.calls").tag("name", "pool").gauge()
                    .value()).isEqualTo(4);
            assertThat(meters.get("resilience.bulkhead.available.concurrent.calls").tag("name", "pool").gauge()
                    .value()).isEqualTo(4);
            assertThat(meters.get("resilience.circuitbreaker.failure.rate").tag("name", "payments").gauge().value())
                    .isEqualTo(-1);
            assertThat(meters.get("resilience.ratelimiter.available.permissions").tag("name", "api").gauge().value())
                    .isEqualTo(7);
            assertThat(meters.get("resilience.ratelimiter.rejected.calls").tag("name", "api").functionCounter()
                    .count()).isZero();
            assertThat(meters.find("resilience.timeout.calls").tag("name", "slow").functionCounters())
                    .extracting(counter -> counter.getId().getTag("kind"))
                    .containsExactlyInAnyOrder("successful", "failed", "timeout");
            assertThat(meters.get("resilience.degradation.level").gauge().value()).isZero();
            assertThat(Search.in(meters).name(name -> name.startsWith("resilience.")).meters())
                    .allSatisfy(meter -> assertThat(meter.getId().getDescription()).isNotBlank());
        });
    }

    @Test
    void bufferedAndSlowCallGaugesCountTheWindowByOutcome() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.payments.slow-call-duration-threshold=1s")
                .run(context -> {
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    for (String meter : List.of("resilience.circuitbreaker.buffered.calls",
                            "resilience.circuitbreaker.slow.calls")) {
                        assertThat(meters.find(meter).tag("name", "payments").gauges()).as(meter)
                                .allSatisfy(gauge -> {
                                    assertThat(gauge.value()).isZero();
                                    assertThat(gauge.getId().getDescription()).isNotBlank();
                                })
                                .extracting(gauge -> gauge.getId().getTag("kind"))
                                .containsExactlyInAnyOrder("successful", "failed");
                    }
                    dev.resilience.circuitbreaker.CircuitBreaker payments = context.getBean(CircuitBreakerRegistry.class).get("payments");
                    record(payments, Duration.ZERO, null);
                    record(payments, Duration.ZERO, null);
                    record(payments, Duration.ofSeconds(2), null);
                    record(payments, Duration.ofSeconds(2), new IOException("slow and down"));
                    record(payments, Duration.ZERO, new IOException("down"));

                    assertThat(gauge(meters, "resilience.circuitbreaker.buffered.calls", "successful")).isEqualTo(3);
                    assertThat(gauge(meters, "resilience.circuitbreaker.buffered.calls", "failed")).isEqualTo(2);
                    assertThat(gauge(meters, "resilience.circuitbreaker.slow.calls", "successful")).isEqualTo(1);
                    assertThat(gauge(meters, "resilience.circuitbreaker.slow.calls", "failed")).isEqualTo(1);
                });
    }

    /** One call through {@code breaker} that takes {@code duration} and ends with {@code failure} (null: success). */
    private void record(dev.resilience.circuitbreaker.CircuitBreaker breaker, Duration duration, Throwable failure) {
        Object permit = breaker.acquirePermission();
        long start = breaker.now();
        time.advance(duration);
        breaker.onResult(permit, start, failure);
    }

    private static double gauge(MeterRegistry meters, String name, String kind) {
        return meters.get(name).tags("name", "payments", "kind", kind).gauge().value();
    }

    @Test
    void meterCountsMatchTheCallsMade() {
        runner.run(context -> {
            SearchService search = context.getBean(SearchService.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            search.find("down");
            search.find("down");

            assertThat(meters.get("resilience.circuitbreaker.calls").tags("name", "search", "kind", "failed").timer()
                    .count()).isEqualTo(2);
            assertThat(meters.get("resilience.retry.calls").tags("name", "search", "kind", "failed_with_retry")
                    .functionCounter().count()).as("the second call was rejected by the open breaker").isEqualTo(1);
            assertThat(meters.get("resilience.retry.attempts").tag("name", "search").functionCounter().count())
                    .isEqualTo(1);
            assertThat(meters.get("resilience.retry.budget.exhausted").tag("name", "search").functionCounter()
                    .count()).as("0.5 × 2 first attempts + 10 per second").isZero();
            assertThat(meters.get("resilience.circuitbreaker.not.permitted.calls").tag("name", "search")
                    .functionCounter().count()).isEqualTo(1);
            assertThat(meters.get("resilience.circuitbreaker.state").tags("name", "search", "state", "open").gauge()
                    .value()).isEqualTo(1);
            assertThat(meters.get("resilience.fallback.calls").tags("method", "SearchService.find", "kind", "successful")
                    .functionCounter().count()).isEqualTo(2);
            assertThat(meters.get("resilience.degradation.level").gauge().value()).isEqualTo(1);
            assertThat(meters.get("resilience.circuitbreaker.failure.rate").tag("name", "search").gauge().value())
                    .isEqualTo(100);
        });
    }

    @Test
    void everyMeterRegistryGetsTheBreakersTimerWhenThereIsNoComposite() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                        ResilienceMetricsAutoConfiguration.class, MetricsAutoConfiguration.class))
                .withBean(Timing.class, time::timing)
                .withUserConfiguration(Beans.class, TwoRegistries.class)
                .withPropertyValues("resilience.circuitbreaker.instances.search.minimum-number-of-calls=2",
                        "resilience.retry.instances.search.max-attempts=2")
                .run(context -> {
                    SearchService search = context.getBean(SearchService.class);

                    search.find("down");

                    for (String registry : List.of("first", "second")) {
                        MeterRegistry meters = context.getBean(registry, MeterRegistry.class);
                        assertThat(meters.get("resilience.circuitbreaker.calls").tags("name", "search", "kind",
                                "failed").timer().count()).as(registry).isEqualTo(2);
                    }
                });
    }

    /** Two registries and no composite (one primary, for Boot's own single-registry users): binders bind to each. */
    @Configuration(proxyBeanMethods = false)
    static class TwoRegistries {

        @Bean
        @Primary
        SimpleMeterRegistry first() {
            return new SimpleMeterRegistry();
        }

        @Bean
        SimpleMeterRegistry second() {
            return new SimpleMeterRegistry();
        }
    }

    @Test
    void endpointMovesBreakersAndAnswers404And400WithoutChangingAnything() {
        runner.run(context -> {
            ResilienceEndpoint endpoint = context.getBean(ResilienceEndpoint.class);
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);

            assertThat(endpoint.change("circuitbreakers", "payments", "FORCED_OPEN", null, null).getStatus())
                    .isEqualTo(200);
            assertThat(breakers.get("payments").getState()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
            assertThat(endpoint.change("circuitbreakers", "payments", "HALF_OPEN", null, null).getStatus())
                    .isEqualTo(400);
            assertThat(endpoint.change("circuitbreakers", "payments", null, null, null).getStatus()).isEqualTo(400);
            assertThat(breakers.get("payments").getState()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
            assertThat(endpoint.change("circuitbreakers", "nobody", "CLOSED", null, null).getStatus()).isEqualTo(404);
            assertThat(breakers.find("nobody")).as("a 404 never creates an instance").isEmpty();
            assertThat(endpoint.instance("circuitbreakers", "nobody").getStatus()).isEqualTo(404);
            assertThat(endpoint.instance("gizmos", "payments").getStatus()).isEqualTo(404);
        });
    }

    @Test
    void endpointChangesConfigurationAtomicallyAndKeepsTheBreakersState() {
        runner.run(context -> {
            ResilienceEndpoint endpoint = context.getBean(ResilienceEndpoint.class);
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
            breakers.get("payments").transitionToForcedOpen();

            WebEndpointResponse<Object> bad = endpoint.change("circuitbreakers", "payments", null,
                    Map.of("failure-rate-threshold", 20, "sliding-window-size", 0), null);
            assertThat(bad.getStatus()).isEqualTo(400);
            assertThat(bad.getBody().toString()).contains(
                    "resilience.circuitbreaker.instances.payments.sliding-window-size").contains("must be at least 1");
            assertThat(breakers.get("payments").getConfig().failureRateThreshold()).as("nothing changed")
                    .isEqualTo(50f);
            assertThat(endpoint.change("circuitbreakers", "payments", null, Map.of("no-such-property", 1), null)
                    .getStatus()).isEqualTo(400);

            WebEndpointResponse<Object> good = endpoint.change("circuitbreakers", "payments", null,
                    Map.of("failure-rate-threshold", 20, "wait-duration-in-open-state", "5s"), null);

            assertThat(good.getStatus()).isEqualTo(200);
            assertThat(breakers.get("payments").getConfig().failureRateThreshold()).isEqualTo(20f);
            assertThat(breakers.get("payments").getState()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
            assertThat(endpoint.change("retries", "search", null, Map.of("max-attempts", 5), null).getStatus())
                    .isEqualTo(200);
            assertThat(context.getBean(RetryRegistry.class).get("search").getConfig().maxAttempts()).isEqualTo(5);
            assertThat(endpoint.change("retries", "search", null, Map.of("budget.window", "1500ms"), null)
                    .getBody().toString()).contains("resilience.retry.instances.search.budget.window")
                    .contains("whole seconds");
            assertThat(endpoint.instance("retries", "search").getBody().toString()).contains("budget.ratio=0.5",
                    "budget.window=PT10S", "budgetExhaustedCalls=0");
        });
    }

    @Test
    void runtimeChangeRefusesWhatApplicationYmlRefusesAndChangesNothing() {
        runner.withPropertyValues("resilience.chaos.enabled=true", "resilience.chaos.instances.drill.latency=5ms")
                .run(context -> {
                    ResilienceEndpoint endpoint = context.getBean(ResilienceEndpoint.class);
                    RetryRegistry retries = context.getBean(RetryRegistry.class);
                    CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);

                    assertRefused(endpoint, "retries", "search", Map.of("max-attempts", 2.5),
                            "resilience.retry.instances.search.max-attempts", "'2.5'", "must be a whole number");
                    assertRefused(endpoint, "circuitbreakers", "payments", Map.of("sliding-window-size", 10.5),
                            "resilience.circuitbreaker.instances.payments.sliding-window-size", "'10.5'",
                            "must be a whole number");
                    assertRefused(endpoint, "retries", "search", Map.of("budget", Map.of("min-retries-per-second",
                            1.5)), "resilience.retry.instances.search.budget.min-retries-per-second", "'1.5'",
                            "must be a whole number");
                    assertRefused(endpoint, "retries", "search", Map.of("max-attempts", List.of(30)),
                            "resilience.retry.instances.search.max-attempts[0]", "'30'", "takes one value");
                    assertRefused(endpoint, "timeouts", "slow", Map.of("timeout-duration", List.of(30)),
                            "resilience.timeout.instances.slow.timeout-duration[0]", "'30'", "takes one value");
                    assertRefused(endpoint, "retries", "search", Map.of("max-attempts", Map.of("value", 3)),
                            "resilience.retry.instances.search.max-attempts.value", "'3'", "takes one value");
                    assertRefused(endpoint, "chaos", "drill", Map.of("latency", List.of(30)),
                            "resilience.chaos.instances.drill.latency[0]", "'30'", "takes one value");
                    assertRefused(endpoint, "features", "suggestions", Map.of("enabled", List.of(true)),
                            "resilience.degradation.features.suggestions.enabled[0]", "'true'", "takes one value");
                    assertRefused(endpoint, "timeouts", "slow", Map.of("cancel-running-future", "sometimes"),
                            "resilience.timeout.instances.slow.cancel-running-future", "'sometimes'",
                            "must be true or false");
                    assertRefused(endpoint, "retries", "search", Map.of("max-atempts", 4),
                            "resilience.retry.instances.search.max-atempts", "'4'",
                            "nearest known one is 'resilience.retry.instances.search.max-attempts'");
                    assertThat(retries.get("search").getConfig().maxAttempts()).as("nothing changed").isEqualTo(2);
                    assertThat(breakers.get("payments").getConfig().slidingWindowSize()).isEqualTo(100);
                    assertThat(context.getBean(TimeoutRegistry.class).get("slow").getConfig().cancelRunningFuture())
                            .isTrue();

                    assertThat(endpoint.change("timeouts", "slow", null, Map.of("cancel-running-future", false,
                            "timeout-duration", "10s"), null).getStatus()).isEqualTo(200);
                    assertThat(context.getBean(TimeoutRegistry.class).get("slow").getConfig())
                            .returns(false, TimeoutConfig::cancelRunningFuture)
                            .returns(Duration.ofSeconds(10), TimeoutConfig::timeoutDuration);
                    assertThat(endpoint.change("timeouts", "slow", null, Map.of("timeout-duration", 250), null)
                            .getStatus()).as("a number is milliseconds, as in application.yml").isEqualTo(200);
                    assertThat(context.getBean(TimeoutRegistry.class).get("slow").getConfig().timeoutDuration())
                            .isEqualTo(Duration.ofMillis(250));
                    assertThat(endpoint.change("retries", "search", null, Map.of("max-attempts", 4.0,
                            "retry-exceptions", List.of("java.io.IOException")), null).getStatus()).isEqualTo(200);
                    assertThat(retries.get("search").getConfig().maxAttempts()).isEqualTo(4);
                    assertThat(endpoint.change("features", "suggestions", null, Map.of("enabled", false,
                            "disable-at", "major"), null).getStatus()).isEqualTo(200);
                    assertThat(endpoint.change("chaos", "drill", null, Map.of("latency", "1s"), null).getStatus())
                            .isEqualTo(200);
                });
    }

    private static void assertRefused(ResilienceEndpoint endpoint, String kind, String name,
            Map<String, Object> config, String path, String value, String reason) {
        WebEndpointResponse<Object> response = endpoint.change(kind, name, null, config, null);
        assertThat(response.getStatus()).as(kind + " " + config).isEqualTo(400);
        assertThat(response.getBody().toString()).contains(path).contains(value).contains(reason);
    }

    @Test
    void endpointQuotesAHugeValueOrPropertyNameShortenedAndChangesNothing() {
        runner.run(context -> {
            ResilienceEndpoint endpoint = context.getBean(ResilienceEndpoint.class);
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
            String huge = "x".repeat(1 << 20);

            WebEndpointResponse<Object> value = endpoint.change("circuitbreakers", "payments", null,
                    Map.of("failure-rate-threshold", huge), null);
            WebEndpointResponse<Object> name = endpoint.change("circuitbreakers", "payments", null,
                    Map.of(huge, 1), null);
            WebEndpointResponse<Object> retryName = endpoint.change("retries", "search", null,
                    Map.of("retry-exceptions", huge), null);

            assertThat(value.getStatus()).isEqualTo(400);
            assertThat(value.getBody().toString()).hasSizeLessThan(2048)
                    .contains("resilience.circuitbreaker.instances.payments.failure-rate-threshold")
                    .contains("'" + "x".repeat(100) + "… (1048576 characters)'").contains("must be a number");
            assertThat(name.getStatus()).isEqualTo(400);
            assertThat(name.getBody().toString()).hasSizeLessThan(2048)
                    .contains("resilience.circuitbreaker.instances.payments.xxxx")
                    .contains("is not a property");
            assertThat(retryName.getStatus()).isEqualTo(400);
            assertThat(retryName.getBody().toString()).hasSizeLessThan(2048)
                    .contains("resilience.retry.instances.search.retry-exceptions").contains("was not found");
            assertThat(breakers.get("payments").getConfig().failureRateThreshold()).as("nothing changed")
                    .isEqualTo(50f);
        });
    }

    @Test
    void endpointSwitchesFeaturesAndShowsEverything() {
        runner.run(context -> {
            ResilienceEndpoint endpoint = context.getBean(ResilienceEndpoint.class);

            assertThat(endpoint.change("features", "suggestions", null, null, false).getStatus()).isEqualTo(200);

            Map<String, Object> overview = endpoint.overview();
            assertThat(overview).containsOnlyKeys("degradation", "circuitBreakers", "retries", "bulkheads",
                    "rateLimiters", "timeouts", "features", "chaos", "lastKnownGood", "probes");
            assertThat(overview.get("features").toString()).contains("enabled=false");
            assertThat(overview.get("circuitBreakers").toString()).contains("payments", "search");
            assertThat(overview.get("rateLimiters").toString()).contains("api", "availablePermissions=7");
            assertThat(overview.get("timeouts").toString()).contains("slow", "timeout-duration=PT3S");
            assertThat(endpoint.change("ratelimiters", "api", null, Map.of("limit-for-period", 9), null).getStatus())
                    .isEqualTo(200);
            assertThat(endpoint.instance("ratelimiters", "api").getBody().toString())
                    .contains("availablePermissions=9");
            assertThat(endpoint.events("events").getBody().toString()).contains("type=DISABLED");
            assertThat(endpoint.events("other").getStatus()).isEqualTo(404);
        });
    }

    @Test
    void aModulesSubResourceIsServedByTheEndpointThatExistsEvenWhenTheApplicationReplacedIt() {
        ResilienceEndpointResource parcels = new ResilienceEndpointResource() {
            @Override
            public String path() {
                return "parcels";
            }

            @Override
            public WebEndpointResponse<Object> list(String page, String size) {
                return new WebEndpointResponse<>(Map.of("page", String.valueOf(page)));
            }

            @Override
            public WebEndpointResponse<Object> find(String id) {
                return new WebEndpointResponse<>(Map.of("id", id));
            }

            @Override
            public WebEndpointResponse<Object> change(String id, Map<String, Object> body) {
                return new WebEndpointResponse<>(Map.of("changed", id), 202);
            }
        };
        runner.withBean(ResilienceEndpointResource.class, () -> parcels)
                .withUserConfiguration(OwnEndpoint.class)
                .run(context -> {
                    ResilienceEndpoint endpoint = context.getBean(ResilienceEndpoint.class);
                    assertThat(context).getBean("myEndpoint").isSameAs(endpoint);

                    assertThat(endpoint.events("parcels", "2", null).getBody()).isEqualTo(Map.of("page", "2"));
                    assertThat(endpoint.instance("parcels", "p1").getBody()).isEqualTo(Map.of("id", "p1"));
                    assertThat(new ResilienceEndpointWriteHandler(endpoint).change("parcels", "p1", null)
                            .getStatusCode().value()).isEqualTo(202);
                    assertThat(endpoint.events("events", null, null).getStatus()).isEqualTo(200);
                    WebEndpointResponse<Object> paged = endpoint.events("events", "2", null);
                    assertThat(paged.getStatus()).isEqualTo(400);
                    assertThat(paged.getBody().toString()).contains("'events' is not paged");
                    assertThat(endpoint.events("degradation", null, "10").getStatus()).isEqualTo(400);
                });
    }

    /** The application's own endpoint bean, which makes the starter's back off. */
    @Configuration(proxyBeanMethods = false)
    static class OwnEndpoint {

        @Bean
        ResilienceEndpoint myEndpoint(ResilienceRegistries registries, DegradationMonitor monitor, RecentEvents events,
                ResilienceConfigurations configurations) {
            return new ResilienceEndpoint(registries, monitor, events, configurations, null);
        }
    }

    /** Our auto-configurations and Boot's that an application without Actuator would still have. */
    private ApplicationContextRunner withoutActuator() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                        ResilienceHealthAutoConfiguration.class, ResilienceMetricsAutoConfiguration.class,
                        ResilienceEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
                .withUserConfiguration(Beans.class);
    }

    @Test
    void startsWithoutActuatorAndMicrometer() {
        withoutActuator().withClassLoader(new FilteredClassLoader("org.springframework.boot.health", "org.springframework.boot.actuate",
                "io.micrometer"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(CircuitBreakerRegistry.class);
                    assertThat(context).doesNotHaveBean(CircuitBreakersHealthContributor.class);
                    assertThat(context).doesNotHaveBean(ResilienceMeterBinder.class);
                    assertThat(context).doesNotHaveBean(ResilienceEndpoint.class);
                    assertThat(context.getBean(SearchService.class).find("up")).isEqualTo("found up");
                });
    }

    @Test
    void worksWithoutReactorOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader("reactor", "org.reactivestreams")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SearchService.class).find("down")).isEqualTo("cached down");
        });
    }

    @Test
    void startsWithMicrometerButWithoutActuator() {
        withoutActuator().withClassLoader(new FilteredClassLoader("org.springframework.boot.health",
                "org.springframework.boot.actuate")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(ResilienceMeterBinder.class);
            assertThat(context).doesNotHaveBean(CircuitBreakersHealthContributor.class);
        });
    }

    private static Health health(CircuitBreakersHealthContributor contributor, String name) {
        return ((HealthIndicator) contributor.getContributor(name)).health();
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        SearchService searchService() {
            return new SearchService();
        }
    }

    /** Public: with a FilteredClassLoader, the CGLIB subclass lives in another runtime package. */
    public static class SearchService {
        @Retry("search")
        @CircuitBreaker("search")
        @Fallback("cached")
        public String find(String query) {
            if (query.equals("down")) {
                throw new UncheckedIOException(new IOException("search down"));
            }
            return "found " + query;
        }

        String cached(String query) {
            return "cached " + query;
        }
    }
}
