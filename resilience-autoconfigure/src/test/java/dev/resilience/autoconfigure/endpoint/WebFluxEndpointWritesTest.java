package dev.resilience.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.degradation.OperationModes;
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
                "resilience.circuitbreaker.instances.inventory.criticality=critical",
                "resilience.degradation.modes.minimal.level=major"})
class WebFluxEndpointWritesTest {

    @LocalServerPort
    int port;

    @Autowired
    CircuitBreakerRegistry breakers;

    @Autowired
    OperationModes modes;

    private CircuitBreakerConfig startup;

    @AfterEach
    void restoreTheBreaker() {
        if (startup != null) {
            breakers.get("inventory").reconfigure(startup);
        }
        breakers.get("inventory").transitionToClosed();
        modes.clear();
    }

    @Test
    void theDashboardPageIsServedOnWebFluxToo() {
        http().get().uri("/actuator/resilience/dashboard").exchange().expectStatus().isOk().expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_HTML).expectBody(String.class)
                .value(page -> assertThat(page).contains("<title>Resilience</title>"));
    }

    @Test
    void postSelectsAModeAndClearsItWhileBadBodiesChangeNothing() {
        postDegradation(Map.of("mode", "minimal", "reason", "incident 7", "expires-after", "30m")).expectStatus()
                .isOk().expectBody().jsonPath("$.level").isEqualTo("MAJOR").jsonPath("$.setBy").isEqualTo("operator")
                .jsonPath("$.mode").isEqualTo("minimal").jsonPath("$.override").isEqualTo("MAJOR")
                .jsonPath("$.reason").isEqualTo("incident 7").jsonPath("$.expiresAt").isNotEmpty();
        http().get().uri("/actuator/resilience").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.degradation.mode").isEqualTo("minimal");

        postDegradation(Map.of("mode", "maximal")).expectStatus().isBadRequest().expectBody().jsonPath("$.error")
                .value(String.class, reason -> assertThat(reason).contains("'maximal'").contains("[minimal]"));
        postDegradation(Map.of("override", "severe")).expectStatus().isBadRequest();
        postDegradation(Map.of("mode", "minimal", "override", "major")).expectStatus().isBadRequest();
        postDegradation(Map.of("override", "major", "expires-after", "-5m")).expectStatus().isBadRequest();
        postDegradation(Map.of("override", "major", "until", "tomorrow")).expectStatus().isBadRequest();
        http().post().uri("/actuator/resilience/degradation").contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isBadRequest();
        assertThat(modes.current().mode()).as("refused writes changed nothing").isEqualTo("minimal");

        postDegradation(Map.of("mode", "none")).expectStatus().isOk().expectBody().jsonPath("$.level")
                .isEqualTo("NONE").jsonPath("$.mode").doesNotExist();
        assertThat(modes.current()).isNull();
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

    private WebTestClient.ResponseSpec postDegradation(Map<String, Object> body) {
        return http().post().uri("/actuator/resilience/degradation").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec post(Map<String, Object> body) {
        return http().post().uri("/actuator/resilience/circuitbreakers/inventory")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }
}
