package dev.resilience.autoconfigure.endpoint;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A module's sub-resource ({@link ResilienceEndpointResource}) in a WebFlux application: its reads are the endpoint's
 * (with the query parameters), its writes go through the endpoint's WebFlux write mapping.
 */
@SpringBootTest(classes = WebFluxTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.main.web-application-type=reactive",
                "management.endpoints.web.exposure.include=health,resilience"})
@Import(WebFluxEndpointResourceTest.Parcels.class)
class WebFluxEndpointResourceTest {

    @LocalServerPort
    int port;

    @Test
    void listsShowsAndChangesOverHttp() {
        http().get().uri("/actuator/resilience/parcels?page=2&size=5").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.page").isEqualTo("2").jsonPath("$.size").isEqualTo("5");
        http().get().uri("/actuator/resilience/parcels/p1").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.id").isEqualTo("p1").jsonPath("$.state").isEqualTo("stored");
        http().get().uri("/actuator/resilience/parcels/p2").exchange().expectStatus().isNotFound();

        http().post().uri("/actuator/resilience/parcels/p1").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("state", 7)).exchange().expectStatus().isBadRequest();
        http().post().uri("/actuator/resilience/parcels/p1").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("state", "sent")).exchange().expectStatus().isOk();
        http().get().uri("/actuator/resilience/parcels/p1").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.state").isEqualTo("sent");
    }

    private WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    /** A module's resource: parcels by id, whose state a write sets. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Parcels {

        @Bean
        ResilienceEndpointResource parcels() {
            Map<String, String> states = new ConcurrentHashMap<>(Map.of("p1", "stored"));
            return new ResilienceEndpointResource() {
                @Override
                public String path() {
                    return "parcels";
                }

                @Override
                public WebEndpointResponse<Object> list(String page, String size) {
                    return new WebEndpointResponse<>(Map.of("page", page, "size", size));
                }

                @Override
                public WebEndpointResponse<Object> find(String id) {
                    String state = states.get(id);
                    return state == null ? new WebEndpointResponse<>(404)
                            : new WebEndpointResponse<>(Map.of("id", id, "state", state));
                }

                @Override
                public WebEndpointResponse<Object> change(String id, Map<String, Object> body) {
                    if (body == null || !(body.get("state") instanceof String state)) {
                        return new WebEndpointResponse<>(Map.of("error", "'state' must be a string"), 400);
                    }
                    states.put(id, state);
                    return find(id);
                }
            };
        }
    }
}
