package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * With {@code management.server.port} set, the endpoint's writes are served where Actuator serves its endpoints,
 * on the management port, secured there by the sample's security like every other Actuator path; the
 * application port does not know them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@AutoConfigureRestTestClient
class ManagementPortEndpointTest {

    private static final String ADMIN = basic("admin", "admin-dev-password");
    private static final String VIEWER = basic("viewer", "viewer-dev-password");

    @Autowired
    RestTestClient applicationPort;

    @LocalManagementPort
    int managementPort;

    @Autowired
    CircuitBreakerRegistry breakers;

    @AfterEach
    void closeTheBreaker() {
        breakers.get("inventory").transitionToClosed();
    }

    @Test
    void writesOnTheManagementPortMoveTheBreakerForAnAdminOnly() {
        RestTestClient management = managementPort();

        forceOpen(management, null).expectStatus().isUnauthorized();
        forceOpen(management, VIEWER).expectStatus().isForbidden();
        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.CLOSED);

        forceOpen(management, ADMIN).expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("FORCED_OPEN");
        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
    }

    @Test
    void theApplicationPortAnswersWritesWith404AndChangesNothing() {
        forceOpen(applicationPort, ADMIN).expectStatus().isNotFound();

        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.CLOSED);
        managementPort().get().uri("/actuator/resilience/circuitbreakers/inventory").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("CLOSED");
    }

    @Test
    void theManagementPortTakesConfigObjectsAndExplainsABadBody() {
        RestTestClient management = managementPort();
        CircuitBreakerConfig startup = breakers.get("inventory").getConfig();
        try {
            management.post().uri("/actuator/resilience/circuitbreakers/inventory")
                    .contentType(MediaType.APPLICATION_JSON).header(HttpHeaders.AUTHORIZATION, ADMIN)
                    .body(Map.of("config", Map.of("failure-rate-threshold", 30))).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.config.failure-rate-threshold").isEqualTo(30.0);

            management.post().uri("/actuator/resilience/circuitbreakers/inventory")
                    .contentType(MediaType.APPLICATION_JSON).header(HttpHeaders.AUTHORIZATION, ADMIN)
                    .body("{\"config\": ").exchange().expectStatus().isBadRequest().expectBody()
                    .jsonPath("$.error").value(String.class,
                            reason -> assertThat(reason).startsWith("the body must be a JSON object"));
        }
        finally {
            breakers.get("inventory").reconfigure(startup);
        }
    }

    private RestTestClient managementPort() {
        return RestTestClient.bindToServer().baseUrl("http://localhost:" + managementPort).build();
    }

    private static RestTestClient.ResponseSpec forceOpen(RestTestClient http, String authorization) {
        RestTestClient.RequestBodySpec request = http.post().uri("/actuator/resilience/circuitbreakers/inventory")
                .contentType(MediaType.APPLICATION_JSON);
        if (authorization != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return request.body(Map.of("state", "FORCED_OPEN")).exchange();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }
}
