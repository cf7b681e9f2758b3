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

/**
 * An endpoint exposed over JMX but not over HTTP has no HTTP writes either: the writes follow the endpoint's web
 * exposure, as Actuator's own operations do.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=resilience",
                "management.endpoints.web.exposure.include=health"})
@AutoConfigureRestTestClient
class WebExposureEndpointTest {

    @Autowired
    RestTestClient http;

    @Autowired
    CircuitBreakerRegistry breakers;

    @Test
    void writesAnswer404WhenTheEndpointIsNotExposedOverHttp() {
        http.post().uri("/actuator/resilience/circuitbreakers/inventory").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, "Basic "
                        + Base64.getEncoder().encodeToString("admin:admin-dev-password".getBytes()))
                .body(Map.of("state", "FORCED_OPEN")).exchange().expectStatus().isNotFound();

        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.CLOSED);
    }
}
