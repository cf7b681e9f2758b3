package dev.resilience.autoconfigure.endpoint;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/** {@code resilience.dashboard.enabled=false} takes the page away and leaves the endpoint as it was. */
@SpringBootTest(classes = WebFluxTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.main.web-application-type=reactive", "resilience.dashboard.enabled=false",
                "management.endpoints.web.exposure.include=health,resilience"})
class WebFluxDashboardDisabledTest {

    @LocalServerPort
    int port;

    @Test
    void thePageIsNotServed() {
        WebTestClient http = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();

        http.get().uri("/actuator/resilience/dashboard").exchange().expectStatus().isNotFound();
        http.get().uri("/actuator/resilience").exchange().expectStatus().isOk();
    }
}
