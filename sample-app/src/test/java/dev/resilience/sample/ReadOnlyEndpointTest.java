package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/** With {@code management.endpoint.resilience.access=read-only}, as for any Boot endpoint, writes are refused. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoint.resilience.access=read-only")
@AutoConfigureRestTestClient
class ReadOnlyEndpointTest {

    @Autowired
    RestTestClient http;

    @Autowired
    CircuitBreakerRegistry breakers;

    @Test
    void writesAnswer405AndChangeNothing() {
        http.post().uri("/actuator/resilience/circuitbreakers/inventory").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, "Basic "
                        + Base64.getEncoder().encodeToString("admin:admin-dev-password".getBytes()))
                .body(Map.of("state", "FORCED_OPEN")).exchange().expectStatus().isEqualTo(405);

        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.CLOSED);
        http.get().uri("/actuator/resilience/circuitbreakers/inventory").exchange().expectStatus().isOk();
    }
}
