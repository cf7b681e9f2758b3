package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.HealthProbe;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpoint;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointAutoConfiguration;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointWriteHandler;
import dev.resilience.autoconfigure.health.ResilienceHealthAutoConfiguration;
import dev.resilience.autoconfigure.metrics.ResilienceMetricsAutoConfiguration;
import dev.resilience.autoconfigure.probe.ResilienceProbes;
import dev.resilience.autoconfigure.probe.ResilienceProbesAutoConfiguration;
import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.FakeTime;
import dev.resilience.core.RecentEvents;
import dev.resilience.core.Timing;
import dev.resilience.degradation.DegradationLevel;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.probe.ProbeSnapshot;
import dev.resilience.probe.ProbeStatus;
import dev.resilience.probe.ProbeStatusChange;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

/**
 * Probes configured in properties and declared with {@code @HealthProbe}, against a real HTTP server on
 * 127.0.0.1: they drive their breaker, the degradation level, health, events; bad configuration stops startup.
 */
class ProbesBehaviourTest {

    private final FakeTime time = new FakeTime();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    private ApplicationContextRunner runner;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                        ResilienceProbesAutoConfiguration.class, ResilienceHealthAutoConfiguration.class,
                        ResilienceMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                        ResilienceEndpointAutoConfiguration.class, EndpointAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
                .withBean(Timing.class, time::timing)
                .withBean(Inventory.class, Inventory::new)
                .withBean(Listener.class, Listener::new)
                .withPropertyValues("resilience.circuitbreaker.instances.inventory.criticality=critical",
                        "resilience.probes.inventory.url=http://127.0.0.1:" + server.getAddress().getPort() + "/health",
                        "resilience.probes.inventory.failure-threshold=2",
                        "resilience.probes.inventory.circuit-breaker=inventory",
                        "resilience.probes.inventory.criticality=critical");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void run(Consumer<AssertableApplicationContext> test) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            test.accept(context);
        });
    }

    private static ProbeSnapshot check(AssertableApplicationContext context, String name) {
        try {
            return context.getBean(ResilienceProbes.class).find(name).orElseThrow().runNow().get(10, TimeUnit.SECONDS);
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    private static Health health(AssertableApplicationContext context, String component, String child) {
        CompositeHealthContributor composite = context.getBean(component, CompositeHealthContributor.class);
        return ((HealthIndicator) composite.getContributor(child)).health();
    }

    @Test
    void downProbeHoldsItsBreakerOpenSoCallsFailFastWithoutReachingTheDependency() {
        run(context -> {
            Inventory inventory = context.getBean(Inventory.class);
            status.set(503);

            check(context, "inventory");
            check(context, "inventory");

            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
            assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.OPEN);
            assertThat(inventory.stock()).isEqualTo("rejected by the open breaker");
            assertThat(inventory.calls()).as("no call reached the dependency").hasValue(0);
            assertThat(context.getBean(DegradationMonitor.class).snapshot().level())
                    .isEqualTo(DegradationLevel.CRITICAL);
            assertThat(health(context, "circuitBreakersHealthContributor", "inventory").getDetails())
                    .containsEntry("heldOpenBy", "inventory");
            Health probeHealth = health(context, "dependenciesHealthContributor", "inventory");
            assertThat(probeHealth.getStatus().getCode()).isEqualTo("DOWN");
            assertThat(probeHealth.getDetails()).containsEntry("status", ProbeStatus.DOWN)
                    .containsEntry("consecutiveFailures", 2).containsKey("lastSuccess")
                    .containsEntry("error", "GET " + "http://127.0.0.1:" + server.getAddress().getPort()
                            + "/health answered 503");
            assertThat(context.getBean(Listener.class).changes).extracting(ProbeStatusChange::to)
                    .containsExactly(ProbeStatus.DOWN);
            assertThat(context.getBean(RecentEvents.class).list()).anyMatch(event -> event.kind().equals("probe")
                    && event.type().equals("DOWN"));

            status.set(200);
            check(context, "inventory");

            assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
            assertThat(inventory.stock()).isEqualTo("in stock");
            assertThat(context.getBean(DegradationMonitor.class).snapshot().level()).isEqualTo(DegradationLevel.NONE);
        });
    }

    @Test
    void everyMeterRegistryTimesTheChecksWhenThereIsNoComposite() {
        // With a primary registry among several, Boot makes no composite and binds the binders to each.
        runner.withUserConfiguration(OperationsAutoConfigurationTest.TwoRegistries.class).run(context -> {
                    check(context, "inventory");

                    for (String name : List.of("first", "second")) {
                        assertThat(context.getBean(name, MeterRegistry.class).get("resilience.probe.duration")
                                .tag("name", "inventory").timer().count()).as(name).isEqualTo(1);
                    }
                });
    }

    @Test
    void metersFollowTheProbe() {
        run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            check(context, "inventory");
            status.set(503);
            check(context, "inventory");
            check(context, "inventory");

            assertThat(meters.get("resilience.probe.up").tag("name", "inventory").gauge().value()).isZero();
            assertThat(meters.get("resilience.probe.checks").tags("name", "inventory", "kind", "up").functionCounter()
                    .count()).isEqualTo(1);
            assertThat(meters.get("resilience.probe.checks").tags("name", "inventory", "kind", "down")
                    .functionCounter().count()).isEqualTo(2);
            assertThat(meters.get("resilience.probe.duration").tag("name", "inventory").timer().count()).isEqualTo(3);
            status.set(200);
            check(context, "inventory");
            assertThat(meters.get("resilience.probe.up").tag("name", "inventory").gauge().value()).isEqualTo(1);
        });
    }

    @Test
    void theEndpointShowsProbesAndRunsOneOnRequest() {
        runner = runner.withPropertyValues("management.endpoints.web.exposure.include=resilience");
        run(context -> {
            ResilienceEndpoint endpoint = context.getBean(ResilienceEndpoint.class);
            assertThat(endpoint.overview()).extractingByKey("probes").asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKeys("inventory", "vector-store");
            status.set(503);

            WebEndpointResponse<Object> ran = endpoint.runProbe("inventory");

            assertThat(ran.getStatus()).isEqualTo(200);
            assertThat(requests).as("the write ran one check").hasValue(1);
            assertThat(ran.getBody()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("name", "inventory").containsEntry("consecutiveFailures", 1)
                    .containsEntry("failedChecks", 1L);
            assertThat(endpoint.instance("probes", "inventory").getStatus()).isEqualTo(200);
            assertThat(endpoint.instance("probes", "nothing").getStatus()).isEqualTo(404);
            assertThat(endpoint.runProbe("nothing").getStatus()).isEqualTo(404);
            ResilienceEndpointWriteHandler writes = new ResilienceEndpointWriteHandler(endpoint);
            assertThat(writes.change("probes", "inventory", Map.of("run", true)).getStatusCode().value())
                    .isEqualTo(200);
            assertThat(writes.change("probes", "inventory", Map.of("run", false)).getStatusCode().value())
                    .as("only a run is a probe's write").isEqualTo(400);
            assertThat(writes.change("probes", "inventory", Map.of("run", true, "state", "CLOSED"))
                    .getStatusCode().value()).isEqualTo(400);
            assertThat(requests).as("refused writes ran nothing").hasValue(2);
        });
    }

    @Test
    void healthRequestsNeverRunACheck() {
        run(context -> {
            for (int i = 0; i < 5; i++) {
                assertThat(health(context, "dependenciesHealthContributor", "inventory").getStatus().getCode())
                        .as("UNKNOWN reads as UP").isEqualTo("UP");
            }

            assertThat(requests).hasValue(0);
        });
    }

    @Test
    void checksRunInTheBackgroundAndAgainAfterTheContextIsStoppedAndStarted() {
        run(context -> {
            dev.resilience.probe.Probe probe = context.getBean(ResilienceProbes.class).find("inventory").orElseThrow();
            time.advance(java.time.Duration.ZERO); // the first check is due at once
            awaitChecks(probe, 1);

            context.stop();
            context.start();
            time.advance(java.time.Duration.ZERO);

            awaitChecks(probe, 2);
            assertThat(probe.snapshot().successfulChecks()).as("the workers outlive a stop").isEqualTo(2);
        });
    }

    @Test
    void withBackgroundChecksOffOnlyAskedChecksRun() {
        runner.withBean("switchOffBackgroundChecks", org.springframework.beans.factory.config.BeanPostProcessor.class,
                () -> new org.springframework.beans.factory.config.BeanPostProcessor() {
                    @Override
                    public Object postProcessAfterInitialization(Object bean, String name) {
                        if (bean instanceof ResilienceProbes probes) {
                            probes.setBackgroundChecks(false);
                        }
                        return bean;
                    }
                }).run(context -> {
                    time.advance(java.time.Duration.ofMinutes(5));
                    assertThat(requests).hasValue(0);

                    assertThat(check(context, "inventory").successfulChecks()).isEqualTo(1);
                    assertThat(requests).hasValue(1);
                });
    }

    /** Waits, bounded, until {@code count} checks are decided (they run on the probe's workers). */
    private static void awaitChecks(dev.resilience.probe.Probe probe, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (probe.snapshot().successfulChecks() + probe.snapshot().failedChecks() < count) {
            assertThat(System.nanoTime()).as("waiting for check " + count).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void annotatedMethodIsTheCheckOfItsProbe() {
        run(context -> {
            Inventory inventory = context.getBean(Inventory.class);

            assertThat(check(context, "vector-store").status()).isEqualTo(ProbeStatus.UP);
            inventory.vectorStoreUp().set(false);
            check(context, "vector-store");
            check(context, "vector-store");
            ProbeSnapshot down = check(context, "vector-store");

            assertThat(down.status()).isEqualTo(ProbeStatus.DOWN);
            assertThat(down.error()).endsWith("Inventory.vectorStore() answered false");
            assertThat(context.getBean(DegradationMonitor.class).snapshot().impaired()).containsExactly("vector-store");
        });
    }

    @Test
    void aProbeWithoutATargetStopsStartupNamingIt() {
        runner.withPropertyValues("resilience.probes.orphan.interval=5s").run(context -> assertThat(context)
                .hasFailed().getFailure().hasStackTraceContaining("resilience.probes.orphan")
                .hasStackTraceContaining("exactly one target"));
    }

    @Test
    void aProbeWithTwoTargetsStopsStartup() {
        runner.withPropertyValues("resilience.probes.inventory.host=127.0.0.1",
                "resilience.probes.inventory.port=8081").run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("several targets"));
    }

    @Test
    void aThresholdBelowOneStopsStartupNamingTheProperty() {
        runner.withPropertyValues("resilience.probes.inventory.success-threshold=0").run(context -> assertThat(context)
                .hasFailed().getFailure().hasStackTraceContaining("resilience.probes.inventory.success-threshold")
                .hasStackTraceContaining("must be at least 1"));
    }

    @Test
    void anUnknownBreakerStopsStartup() {
        runner.withPropertyValues("resilience.probes.inventory.circuit-breaker=inventroy").run(context ->
                assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("resilience.probes.inventory.circuit-breaker")
                        .hasStackTraceContaining("inventroy"));
    }

    /** Public: proxied with CGLIB. */
    public static class Inventory {
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicBoolean vectorStoreUp = new AtomicBoolean(true);

        public AtomicInteger calls() {
            return calls;
        }

        public AtomicBoolean vectorStoreUp() {
            return vectorStoreUp;
        }

        @CircuitBreaker("inventory")
        @dev.resilience.annotation.Fallback("rejected")
        public String stock() {
            calls.incrementAndGet();
            return "in stock";
        }

        String rejected(CircuitBreakerOpenException open) {
            return "rejected by the open breaker";
        }

        @HealthProbe("vector-store")
        public boolean vectorStore() {
            return vectorStoreUp.get();
        }
    }

    static class Listener {
        final List<ProbeStatusChange> changes = new CopyOnWriteArrayList<>();

        @EventListener
        void on(ProbeStatusChange change) {
            changes.add(change);
        }
    }
}
