package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.probe.ProbeStatus;
import dev.resilience.test.ResilienceTest;
import dev.resilience.test.ResilienceTester;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The sample's probes, over real HTTP against the simulated dependencies' health endpoints: the inventory goes
 * down while nobody calls it, its probe holds the breaker open before a user request fails, and its recovery
 * lets real calls close the breaker. The test runs each check ({@code @ResilienceTest} runs none on its own).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ResilienceTest
class DependencyProbesTest {

    @Autowired
    RestTestClient http;

    @Autowired
    ResilienceTester resilience;

    @BeforeEach
    @AfterEach
    void healthyDependenciesAndFreshProbes() {
        http.post().uri("/sim/reset").exchange().expectStatus().isOk();
        resilience.reset();
    }

    @Test
    void inventoryDownWithNoTrafficIsFoundByItsProbeBeforeAnyUserRequestFails() {
        assertThat(resilience.checkProbe("inventory-service").status()).isEqualTo(ProbeStatus.UP);
        simulate("inventory", Map.of("failureRate", 1.0));
        long requestsBefore = inventoryRequests();

        resilience.checkProbe("inventory-service");
        assertThat(resilience.checkProbe("inventory-service").status()).as("failure-threshold: 2")
                .isEqualTo(ProbeStatus.DOWN);

        http.get().uri("/actuator/health/dependencies").exchange().expectStatus().isEqualTo(503).expectBody()
                .jsonPath("$.status").isEqualTo("DOWN")
                .jsonPath("$.components.inventory-service.details.status").isEqualTo("DOWN")
                .jsonPath("$.components.inventory-service.details.error").value(error ->
                        assertThat(error.toString()).contains("503"))
                .jsonPath("$.components.primary-provider.status").isEqualTo("UP");
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UP");
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        http.get().uri("/actuator/resilience/circuitbreakers/inventory").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.state").isEqualTo("OPEN").jsonPath("$.heldOpenBy").isEqualTo("inventory-service");
        http.get().uri("/api/inventory/apple").exchange().expectStatus().isEqualTo(503).expectBody()
                .jsonPath("$.instance").isEqualTo("inventory");
        assertThat(inventoryRequests()).as("the lookup failed fast: no request reached the inventory")
                .isEqualTo(requestsBefore);

        simulate("inventory", Map.of("failureRate", 0.0));
        assertThat(resilience.checkProbe("inventory-service").status()).isEqualTo(ProbeStatus.UP);

        assertThat(resilience.circuitBreaker("inventory").getState()).as("real calls confirm the recovery")
                .isEqualTo(CircuitBreakerState.HALF_OPEN);
        for (int i = 0; i < 3; i++) {
            http.get().uri("/api/inventory/plum").exchange().expectStatus().isOk();
        }
        assertThat(resilience.circuitBreaker("inventory").getState()).isEqualTo(CircuitBreakerState.CLOSED);
        http.get().uri("/actuator/health/dependencies").exchange().expectStatus().isOk();
    }

    @Test
    void aSlowDependencyFailsItsProbeAtTheProbeTimeout() {
        simulate("primary", Map.of("latency", "3s"));

        // The check is cut at the probe's timeout (2 s, the default), timed in fake time: the test moves time past it.
        var check = resilience.probe("primary-provider").runNow();
        resilience.advance(java.time.Duration.ofSeconds(2));

        assertThat(check.join().error()).isEqualTo("no answer within PT2S");
    }

    private long inventoryRequests() {
        Map<String, Long> requests = http.get().uri("/sim/requests").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Long>>() { }).returnResult().getResponseBody();
        return requests.get("inventory");
    }

    private void simulate(String dependency, Map<String, Object> settings) {
        http.post().uri("/sim/" + dependency).contentType(MediaType.APPLICATION_JSON).body(settings).exchange()
                .expectStatus().isOk();
    }
}
