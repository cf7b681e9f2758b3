package dev.resilience.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** In a WebFlux application, read-only access refuses the writes as Actuator refuses any read-only write. */
@SpringBootTest(classes = WebFluxTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.main.web-application-type=reactive", "management.endpoint.resilience.access=read-only",
                "management.endpoints.web.exposure.include=health,resilience",
                "resilience.circuitbreaker.instances.inventory.criticality=critical"})
class WebFluxReadOnlyEndpointTest {

    @LocalServerPort
    int port;

    @Autowired
    CircuitBreakerRegistry breakers;

    @Test
    void writesAnswer405AndChangeNothing() {
        WebTestClient http = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();

        http.post().uri("/actuator/resilience/circuitbreakers/inventory").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("state", "FORCED_OPEN")).exchange().expectStatus().isEqualTo(405);

        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.CLOSED);
        http.get().uri("/actuator/resilience/circuitbreakers/inventory").exchange().expectStatus().isOk();
        http.get().uri("/actuator/resilience/dashboard").exchange().expectStatus().isOk();
    }
}
