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
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Read-only access on a management port: the management port refuses the write as Actuator refuses a write to
 * any read-only endpoint (405), the application port does not know the path (404), and nothing changes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "management.endpoint.resilience.access=read-only"})
@AutoConfigureRestTestClient
class ReadOnlyManagementPortEndpointTest {

    private static final String ADMIN = "Basic "
            + Base64.getEncoder().encodeToString("admin:admin-dev-password".getBytes());

    @Autowired
    RestTestClient applicationPort;

    @LocalManagementPort
    int managementPort;

    @Autowired
    CircuitBreakerRegistry breakers;

    @Test
    void theManagementPortAnswers405AndTheApplicationPort404() {
        RestTestClient management = RestTestClient.bindToServer().baseUrl("http://localhost:" + managementPort)
                .build();

        forceOpen(management).expectStatus().isEqualTo(405);
        forceOpen(applicationPort).expectStatus().isNotFound();

        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.CLOSED);
        management.get().uri("/actuator/resilience/circuitbreakers/inventory").exchange().expectStatus().isOk();
    }

    private static RestTestClient.ResponseSpec forceOpen(RestTestClient http) {
        return http.post().uri("/actuator/resilience/circuitbreakers/inventory").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, ADMIN).body(Map.of("state", "FORCED_OPEN")).exchange();
    }
}
