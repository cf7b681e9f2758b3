package dev.resilience.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** In a WebFlux application with a management port, the writes are served there and only there. */
@SpringBootTest(classes = WebFluxTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.main.web-application-type=reactive", "management.server.port=0",
                "management.endpoints.web.exposure.include=health,resilience",
                "resilience.circuitbreaker.instances.inventory.criticality=critical"})
class WebFluxManagementPortEndpointWritesTest {

    @LocalServerPort
    int applicationPort;

    @LocalManagementPort
    int managementPort;

    @Autowired
    CircuitBreakerRegistry breakers;

    @AfterEach
    void closeTheBreaker() {
        breakers.get("inventory").transitionToClosed();
    }

    @Test
    void postOnTheManagementPortForcesTheBreakerOpen() {
        forceOpen(managementPort).expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("FORCED_OPEN");

        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
    }

    @Test
    void postOnTheApplicationPortAnswers404AndChangesNothing() {
        forceOpen(applicationPort).expectStatus().isNotFound();

        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    private static WebTestClient.ResponseSpec forceOpen(int port) {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build().post()
                .uri("/actuator/resilience/circuitbreakers/inventory").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("state", "FORCED_OPEN")).exchange();
    }
}
