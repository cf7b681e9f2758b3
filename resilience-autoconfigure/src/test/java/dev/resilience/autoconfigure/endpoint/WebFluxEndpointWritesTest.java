package dev.resilience.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** In a WebFlux application without a management port, the writes are served on the application's port. */
@SpringBootTest(classes = WebFluxTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.main.web-application-type=reactive",
                "management.endpoints.web.exposure.include=health,resilience",
                "resilience.circuitbreaker.instances.inventory.criticality=critical"})
class WebFluxEndpointWritesTest {

    @LocalServerPort
    int port;

    @Autowired
    CircuitBreakerRegistry breakers;

    private CircuitBreakerConfig startup;

    @AfterEach
    void restoreTheBreaker() {
        if (startup != null) {
            breakers.get("inventory").reconfigure(startup);
        }
        breakers.get("inventory").transitionToClosed();
    }

    @Test
    void postForcesTheBreakerOpen() {
        post(Map.of("state", "FORCED_OPEN")).expectStatus().isOk().expectBody().jsonPath("$.state")
                .isEqualTo("FORCED_OPEN");

        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
    }

    @Test
    void postTakesAConfigObject() {
        startup = breakers.get("inventory").getConfig();

        post(Map.of("config", Map.of("failure-rate-threshold", 30))).expectStatus().isOk().expectBody()
                .jsonPath("$.config.failure-rate-threshold").isEqualTo(30.0);

        assertThat(breakers.get("inventory").getConfig().failureRateThreshold()).isEqualTo(30f);
    }

    @Test
    void badBodiesAndUnknownNamesAreRefusedAndChangeNothing() {
        post(Map.of("state", "HALF_OPEN")).expectStatus().isBadRequest().expectBody().jsonPath("$.error")
                .value(String.class, reason -> assertThat(reason).contains("FORCED_OPEN, CLOSED, DISABLED"));
        http().post().uri("/actuator/resilience/circuitbreakers/inventory").contentType(MediaType.APPLICATION_JSON)
                .exchange().expectStatus().isBadRequest();
        http().post().uri("/actuator/resilience/circuitbreakers/inventory").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"config\": ").exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.error")
                .value(String.class, reason -> assertThat(reason).startsWith("the body must be a JSON object"));
        http().post().uri("/actuator/resilience/circuitbreakers/nobody").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("state", "CLOSED")).exchange().expectStatus().isNotFound();

        assertThat(breakers.find("nobody")).isEmpty();
        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    private WebTestClient.ResponseSpec post(Map<String, Object> body) {
        return http().post().uri("/actuator/resilience/circuitbreakers/inventory")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }
}
