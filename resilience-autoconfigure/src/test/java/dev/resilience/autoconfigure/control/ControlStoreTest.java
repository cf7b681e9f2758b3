package dev.resilience.autoconfigure.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpoint;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointAutoConfiguration;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointWriteHandler;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import dev.resilience.degradation.OperationModes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

class ControlStoreTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceEndpointAutoConfiguration.class, ResilienceControlAutoConfiguration.class))
            .withBean("resilienceTiming", Timing.class, time::timing)
            .withPropertyValues("management.endpoints.web.exposure.include=resilience",
                    "resilience.circuitbreaker.instances.inventory.failure-rate-threshold=50",
                    "resilience.degradation.modes.minimal.level=major");

    @Test
    void keepsChangesInMemoryByDefault() {
        runner.run(context -> assertThat(context).getBean(ControlStore.class).isInstanceOf(MemoryControlStore.class));
    }

    @Test
    void redisStoreWithoutTheRedisModuleStopsStartupNamingTheProperty() {
        runner.withPropertyValues("resilience.control.store=redis").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("resilience.control.store")
                .hasMessageContaining("resilience-redis"));
    }

    @Test
    void recordsEachPropertyOfAnAcceptedWriteSeparatelyAndNothingOfARefusedOne() {
        runner.run(context -> {
            ControlStore store = context.getBean(ControlStore.class);
            ResilienceEndpointWriteHandler writes = handler(context, store);

            assertThat(writes.change("circuitbreakers", "inventory", Map.of("config",
                    Map.of("failure-rate-threshold", 30, "minimum-number-of-calls", 5))).getStatusCode().value())
                    .isEqualTo(200);
            assertThat(writes.change("circuitbreakers", "inventory", Map.of("config",
                    Map.of("failure-rate-threshold", 130))).getStatusCode().value()).isEqualTo(400);
            assertThat(writes.change("circuitbreakers", "inventory", Map.of("state", "FORCED_OPEN"))
                    .getStatusCode().value()).isEqualTo(200);

            assertThat(store.changes()).extracting(ControlChange::key).containsExactlyInAnyOrder(
                    "circuitbreakers/inventory/config/failure-rate-threshold",
                    "circuitbreakers/inventory/config/minimum-number-of-calls",
                    "circuitbreakers/inventory/state");
            assertThat(store.changes()).filteredOn(change -> change.key().endsWith("failure-rate-threshold"))
                    .singleElement().extracting(ControlChange::body)
                    .isEqualTo(Map.of("config", Map.of("failure-rate-threshold", 30)));
        });
    }

    @Test
    void replayAppliesAnotherApplicationsChangeWithoutRecordingItAndKeepsItsExpiry() {
        runner.run(context -> {
            ControlStore store = context.getBean(ControlStore.class);
            ResilienceEndpointWriteHandler writes = handler(context, store);
            Instant now = time.timing().clock().instant();

            writes.replay(new ControlChange("degradation", "degradation", "", Map.of("mode", "minimal"), "other",
                    now, now.plusSeconds(60)));

            OperationModes modes = context.getBean(OperationModes.class);
            assertThat(modes.current().mode()).isEqualTo("minimal");
            assertThat(modes.current().expiresAt()).isEqualTo(now.plusSeconds(60));
            assertThat(store.changes()).isEmpty();
            time.advance(Duration.ofSeconds(60));
            assertThat(modes.current()).isNull();
        });
    }

    private ResilienceEndpointWriteHandler handler(ApplicationContext context, ControlStore store) {
        return new ResilienceEndpointWriteHandler(context.getBean(ResilienceEndpoint.class),
                context.getBean(OperationModes.class), store, "test", time.timing());
    }
}
