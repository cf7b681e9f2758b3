package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.autoconfigure.ResilienceConfigurations;
import dev.resilience.chaos.ChaosConfig;
import dev.resilience.chaos.ChaosRegistry;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.FakeTime;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import dev.resilience.degradation.FeatureConfig;
import dev.resilience.degradation.FeatureRegistry;
import dev.resilience.degradation.OperationModes;
import dev.resilience.test.ResilienceTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * What an operator sees and does, over real HTTP: health, meters, Prometheus and the resilience endpoint, with
 * the sample's security (reads open, writes for ADMIN).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ResilienceTest
class OperationsEndToEndTest {

    private static final String ADMIN = basic("admin", "admin-dev-password");
    private static final String VIEWER = basic("viewer", "viewer-dev-password");

    @Autowired
    RestTestClient http;

    @Autowired
    CircuitBreakerRegistry breakers;

    @Autowired
    FeatureRegistry features;

    @Autowired
    ResilienceConfigurations configurations;

    @Autowired
    RateLimiterRegistry rateLimiters;

    @Autowired
    ChaosRegistry chaos;

    @Autowired
    FakeTime time;

    @Autowired
    OperationModes modes;

    @BeforeEach
    void healthyDependenciesAndStartupConfiguration() {
        http.post().uri("/sim/reset").exchange().expectStatus().isOk();
        for (CircuitBreaker breaker : breakers.all()) {
            breaker.reconfigure(configurations.circuitBreakers().forInstance(breaker.getName()));
            breaker.transitionToClosed();
        }
        features.all().forEach(feature -> feature.reconfigure(configurations.features().forFeature(feature.getName())));
        rateLimiters.all().forEach(limiter -> limiter.reconfigure(limiter.getConfig()));
        chaos.all().forEach(instance -> instance.reconfigure(ChaosConfig.none()));
        modes.clear();
    }

    @Test
    void chaosDrillFailsThePrimaryTheSecondaryAnswersAndTheLevelIsMinor() {
        post("/actuator/resilience/chaos/primary-llm", VIEWER, Map.of("failure-rate", 1.0)).expectStatus()
                .isForbidden();
        post("/actuator/resilience/chaos/primary-llm", ADMIN, Map.of("failure-rate", 1.0)).expectStatus().isOk()
                .expectBody().jsonPath("$.config.failure-rate").isEqualTo(1.0);

        for (int i = 0; i < 10; i++) {
            assertThat(getJson("/api/answer?q=drill" + i, 200)).containsEntry("source", "secondary");
        }

        assertThat(breakers.get("primary-llm").getState()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(details(component(health(200), "degradation"))).containsEntry("level", "MINOR");
        assertThat(counter("resilience.chaos.injected", "name:primary-llm", "kind:failure")).isEqualTo(10);

        post("/actuator/resilience/chaos/primary-llm", ADMIN, Map.of("failure-rate", 0)).expectStatus().isOk();
        time.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            assertThat(getJson("/api/answer?q=recovered" + i, 200)).containsEntry("source", "primary");
        }
        assertThat(breakers.get("primary-llm").getState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void healthIsDegradedWhileAnOptionalBreakerIsOpenDownWhileACriticalOneIsAndUpAfterRecovery() {
        assertThat(health(200).get("status")).isEqualTo("UP");

        openPrimaryProvider();
        Map<String, Object> degraded = health(200);
        assertThat(degraded.get("status")).isEqualTo("DEGRADED");
        assertThat(component(degraded, "degradation")).containsEntry("status", "DEGRADED");
        assertThat(details(component(degraded, "degradation"))).containsEntry("level", "MINOR")
                .containsEntry("impaired", List.of("primary-llm"));
        assertThat(gauge("resilience.degradation.level")).isEqualTo(1);

        openInventory();
        Map<String, Object> down = health(503);
        assertThat(down.get("status")).isEqualTo("DOWN");
        Map<String, Object> inventory = component(component(down, "circuitBreakers"), "inventory");
        assertThat(inventory).containsEntry("status", "DOWN");
        assertThat(details(inventory)).containsKeys("state", "failureRate", "slowCallRate", "bufferedCalls",
                "failedCalls", "notPermittedCalls", "criticality").containsEntry("criticality", "critical");
        assertThat(gauge("resilience.degradation.level")).isEqualTo(3);

        http.post().uri("/sim/reset").exchange().expectStatus().isOk();
        time.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            http.get().uri("/api/inventory/apple").exchange().expectStatus().isOk();
            http.get().uri("/api/answer?q=recovered" + i).exchange().expectStatus().isOk();
        }
        assertThat(health(200).get("status")).isEqualTo("UP");
        assertThat(gauge("resilience.degradation.level")).isZero();
    }

    @Test
    void degradableFeatureIsShedAtItsLevelAndWhenSwitchedOff() {
        assertThat(recommendationSource()).isEqualTo("personal");

        openPrimaryProvider();
        assertThat(recommendationSource()).as("disable-at: minor").isEqualTo("bestsellers");
        breakers.get("primary-llm").transitionToClosed();
        assertThat(recommendationSource()).isEqualTo("personal");

        post("/actuator/resilience/features/recommendations", ADMIN, Map.of("enabled", false)).expectStatus().isOk();
        assertThat(recommendationSource()).isEqualTo("bestsellers");
        assertThat(breakers.get("primary-llm").getState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void anAdminSelectsTheMinimalModeForAWhileAndHealthSaysWhy() {
        post("/actuator/resilience/degradation", VIEWER, Map.of("mode", "minimal")).expectStatus().isForbidden();
        assertThat(modes.current()).isNull();

        post("/actuator/resilience/degradation", ADMIN, Map.of("mode", "minimal", "reason", "incident 4711",
                "expires-after", "1h")).expectStatus().isOk().expectBody().jsonPath("$.level").isEqualTo("MAJOR")
                .jsonPath("$.setBy").isEqualTo("operator");

        assertThat(recommendationSource()).as("switched off by the mode").isEqualTo("bestsellers");
        http.get().uri("/actuator/health/degradation").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("DEGRADED").jsonPath("$.details.mode").isEqualTo("minimal")
                .jsonPath("$.details.reason").isEqualTo("incident 4711")
                .jsonPath("$.details.setBy").isEqualTo("operator");
        http.get().uri("/actuator/resilience/features/recommendations").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.switchedByMode").isEqualTo("minimal").jsonPath("$.enabled").isEqualTo(false);

        time.advance(java.time.Duration.ofHours(1));

        assertThat(recommendationSource()).as("the mode expired").isEqualTo("personal");
        http.get().uri("/actuator/resilience/degradation").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.level").isEqualTo("NONE").jsonPath("$.mode").isEmpty();
    }

    @Test
    void aWriteThatIsNotJsonIsRefusedSoACrossSiteFormCannotMakeOne() {
        // A form on another site can POST text/plain with the admin's cached basic credentials, and no CORS
        // preflight; it cannot send application/json without one.
        http.post().uri("/actuator/resilience/circuitbreakers/inventory").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.TEXT_PLAIN).body("{\"state\": \"FORCED_OPEN\"}").exchange().expectStatus()
                .isEqualTo(415);
        http.post().uri("/actuator/resilience/degradation").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body("mode=minimal").exchange().expectStatus()
                .isEqualTo(415);

        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(modes.current()).isNull();
    }

    @Test
    void theDashboardPageIsServedBesideTheEndpointWithAStrictContentSecurityPolicy() {
        http.get().uri("/actuator/resilience/dashboard").exchange().expectStatus().isOk().expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_HTML).expectHeader()
                .value("Content-Security-Policy", policy -> assertThat(policy).contains("default-src 'none'")
                        .contains("connect-src 'self'"))
                .expectBody(String.class).value(page -> assertThat(page).contains("<title>Resilience</title>")
                        .as("nothing loaded from elsewhere").doesNotContainPattern("(src|href)=\"?(https?:)?//"));
    }

    @Test
    void everyContractMeterExistsWithItsTagsAndCountsMatchTheCallsMade() {
        double successful = counter("resilience.circuitbreaker.calls", "name:inventory", "kind:successful");
        double ignored = counter("resilience.circuitbreaker.calls", "name:inventory", "kind:ignored");
        double withoutRetry = counter("resilience.retry.calls", "name:inventory", "kind:successful_without_retry");
        double failedWithoutRetry = counter("resilience.retry.calls", "name:inventory", "kind:failed_without_retry");

        http.get().uri("/api/inventory/apple").exchange().expectStatus().isOk();
        http.get().uri("/api/inventory/plum").exchange().expectStatus().isOk();
        http.get().uri("/api/inventory/kiwi").exchange().expectStatus().isNotFound();

        assertThat(counter("resilience.circuitbreaker.calls", "name:inventory", "kind:successful") - successful)
                .isEqualTo(2);
        assertThat(counter("resilience.circuitbreaker.calls", "name:inventory", "kind:ignored") - ignored)
                .as("an unknown SKU is ignored by the breaker").isEqualTo(1);
        assertThat(counter("resilience.retry.calls", "name:inventory", "kind:successful_without_retry") - withoutRetry)
                .isEqualTo(2);
        assertThat(counter("resilience.retry.calls", "name:inventory", "kind:failed_without_retry")
                - failedWithoutRetry).as("an unknown SKU is not retried").isEqualTo(1);
        for (String state : List.of("closed", "open", "half_open", "forced_open", "disabled")) {
            assertThat(gauge("resilience.circuitbreaker.state", "name:inventory", "state:" + state))
                    .isEqualTo(state.equals("closed") ? 1 : 0);
        }
        for (String kind : List.of("successful_with_retry", "failed_with_retry")) {
            assertThat(counter("resilience.retry.calls", "name:inventory", "kind:" + kind)).isNotNegative();
        }
        assertThat(counter("resilience.circuitbreaker.calls", "name:inventory", "kind:failed")).isNotNegative();
        assertThat(counter("resilience.circuitbreaker.not.permitted.calls", "name:inventory")).isNotNegative();
        assertThat(gauge("resilience.circuitbreaker.failure.rate", "name:inventory")).isGreaterThanOrEqualTo(-1);
        assertThat(gauge("resilience.circuitbreaker.slow.call.rate", "name:inventory")).isGreaterThanOrEqualTo(-1);
        assertThat(counter("resilience.retry.attempts", "name:inventory")).isNotNegative();
        assertThat(gauge("resilience.bulkhead.available.concurrent.calls", "name:inventory")).isEqualTo(10);
        assertThat(gauge("resilience.bulkhead.max.allowed.concurrent.calls", "name:inventory")).isEqualTo(10);
        assertThat(counter("resilience.bulkhead.rejected.calls", "name:inventory")).isZero();
        assertThat(gauge("resilience.degradation.level")).isZero();

        double fallbacks = counter("resilience.fallback.calls", "method:AnswerService.ask", "kind:successful");
        openPrimaryProvider();
        assertThat(counter("resilience.fallback.calls", "method:AnswerService.ask", "kind:successful") - fallbacks)
                .isEqualTo(5);
        assertThat(counter("resilience.fallback.calls", "method:AnswerService.ask", "kind:failed")).isNotNegative();

        String prometheus = http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        // Every meter also carries application="resilience-sample" (management.metrics.tags.application).
        assertThat(prometheus).contains("resilience_circuitbreaker_state{application=\"resilience-sample\","
                        + "name=\"inventory\",state=\"closed\"} 1.0")
                .contains("resilience_circuitbreaker_calls_seconds_count{application=\"resilience-sample\","
                        + "kind=\"successful\",name=\"inventory\"}")
                .contains("resilience_degradation_level");
    }

    @Test
    void endpointShowsEverythingAndAnswers404ForUnknownNames() {
        Map<String, Object> overview = getJson("/actuator/resilience", 200);
        assertThat(overview).containsKeys("degradation", "circuitBreakers", "retries", "bulkheads", "rateLimiters",
                "timeouts", "features");
        Map<String, Object> inventory = getJson("/actuator/resilience/circuitbreakers/inventory", 200);
        assertThat(inventory).containsKeys("name", "state", "failureRate", "slowCallRate", "bufferedCalls",
                "failedCalls", "slowCalls", "notPermittedCalls", "criticality", "config");
        assertThat(getJson("/actuator/resilience/bulkheads/inventory", 200)).containsEntry("maxConcurrentCalls", 10);
        getJson("/actuator/resilience/circuitbreakers/nobody", 404);
        getJson("/actuator/resilience/gizmos/inventory", 404);

        openPrimaryProvider();
        List<Map<String, Object>> events = http.get().uri("/actuator/resilience/events").exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { })
                .returnResult().getResponseBody();
        assertThat(events).isNotEmpty().allSatisfy(event -> assertThat(event).containsKeys("time", "kind", "name",
                "type", "detail"));
        assertThat(events).extracting(event -> event.get("type")).contains("RETRY", "FALLBACK", "STATE_TRANSITION",
                "LEVEL_CHANGED");
    }

    @Test
    void writesNeedAnAdminAndBadRequestsChangeNothing() {
        post("/actuator/resilience/circuitbreakers/inventory", null, Map.of("state", "FORCED_OPEN")).expectStatus()
                .isUnauthorized();
        post("/actuator/resilience/circuitbreakers/inventory", VIEWER, Map.of("state", "FORCED_OPEN")).expectStatus()
                .isForbidden();
        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.CLOSED);

        post("/actuator/resilience/circuitbreakers/inventory", ADMIN, Map.of("state", "HALF_OPEN")).expectStatus()
                .isBadRequest().expectBody().jsonPath("$.error").value(String.class,
                        reason -> assertThat(reason).contains("FORCED_OPEN, CLOSED, DISABLED"));
        post("/actuator/resilience/circuitbreakers/inventory", ADMIN, Map.of()).expectStatus().isBadRequest();
        post("/actuator/resilience/circuitbreakers/inventory", ADMIN,
                Map.of("config", Map.of("failure-rate-threshold", 150))).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.error").value(String.class, reason -> assertThat(reason)
                        .contains("resilience.circuitbreaker.instances.inventory.failure-rate-threshold")
                        .contains("must be in (0, 100]"));
        post("/actuator/resilience/circuitbreakers/nobody", ADMIN, Map.of("state", "CLOSED")).expectStatus()
                .isNotFound();
        assertThat(breakers.find("nobody")).isEmpty();
        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(breakers.get("inventory").getConfig().failureRateThreshold()).isEqualTo(50f);

        post("/actuator/resilience/circuitbreakers/inventory", ADMIN, Map.of("state", "FORCED_OPEN")).expectStatus()
                .isOk().expectBody().jsonPath("$.state").isEqualTo("FORCED_OPEN");
        http.get().uri("/api/inventory/apple").exchange().expectStatus().isEqualTo(503);
    }

    @Test
    void aHugeBadValueOrPropertyNameAnswersAShortReasonAndChangesNothing() {
        String huge = "x".repeat(1 << 20);
        String longName = "k".repeat(40_000); // under the JSON parser's limit on names, so the binder sees it
        CircuitBreakerConfig inventory = breakers.get("inventory").getConfig();
        FeatureConfig recommendations = features.get("recommendations").getConfig();

        assertShortBadRequest(post("/actuator/resilience/circuitbreakers/inventory", ADMIN,
                Map.of("config", Map.of("failure-rate-threshold", huge))),
                "resilience.circuitbreaker.instances.inventory.failure-rate-threshold", "must be a number",
                "(1048576 characters)");
        assertShortBadRequest(post("/actuator/resilience/circuitbreakers/inventory", ADMIN, Map.of("state", huge)),
                "FORCED_OPEN, CLOSED, DISABLED", "(1048576 characters)");
        assertShortBadRequest(post("/actuator/resilience/features/recommendations", ADMIN,
                Map.of("config", Map.of("disable-at", huge))),
                "resilience.degradation.features.recommendations.disable-at", "must be one of [minor, major");
        assertShortBadRequest(post("/actuator/resilience/circuitbreakers/inventory", ADMIN,
                Map.of("config", Map.of(longName, 1))),
                "resilience.circuitbreaker.instances.inventory.kkkk", "is not a property",
                "(40000 characters)");
        assertShortBadRequest(post("/actuator/resilience/chaos/primary-llm", ADMIN, Map.of(longName, 1)),
                "resilience.chaos.instances.primary-llm.kkkk", "is not a property", "(40000 characters)");
        assertShortBadRequest(post("/actuator/resilience/circuitbreakers/inventory", ADMIN,
                Map.of("config", Map.of(huge, 1))), "the body must be a JSON object");
        assertShortBadRequest(http.post().uri("/actuator/resilience/circuitbreakers/inventory")
                .contentType(MediaType.APPLICATION_JSON).header(HttpHeaders.AUTHORIZATION, ADMIN)
                .body("{\"config\": " + huge + "}").exchange(), "the body must be a JSON object");

        assertThat(breakers.get("inventory").getConfig()).as("nothing changed").isEqualTo(inventory);
        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(features.get("recommendations").getConfig()).isEqualTo(recommendations);
        assertThat(chaos.get("primary-llm").getConfig()).isEqualTo(ChaosConfig.none());
    }

    @Test
    void runtimeThresholdChangeTakesEffectOnTheNextCalls() {
        post("/actuator/resilience/circuitbreakers/inventory", ADMIN,
                Map.of("config", Map.of("minimum-number-of-calls", 3, "failure-rate-threshold", 50))).expectStatus()
                .isOk().expectBody().jsonPath("$.config.minimum-number-of-calls").isEqualTo(3);
        http.post().uri("/sim/inventory").contentType(MediaType.APPLICATION_JSON).body(Map.of("failureRate", 1.0))
                .exchange().expectStatus().isOk();

        http.get().uri("/api/inventory/apple").exchange().expectStatus().isEqualTo(502);

        assertThat(breakers.get("inventory").getState()).as("3 failed attempts reach the new minimum")
                .isEqualTo(CircuitBreakerState.OPEN);
        http.get().uri("/api/inventory/apple").exchange().expectStatus().isEqualTo(503);
    }

    @Test
    void staleAnswersAreTimedAndAnAdminPurgesThem() {
        http.get().uri("/api/answer?q=ops-stale").exchange().expectStatus().isOk();
        post("/sim/primary", null, Map.of("failureRate", 1.0)).expectStatus().isOk();
        post("/sim/secondary", null, Map.of("failureRate", 1.0)).expectStatus().isOk();
        time.advance(Duration.ofMinutes(2));
        double served = counter("resilience.lastknowngood.age", "name:answers"); // bound at startup

        http.get().uri("/api/answer?q=ops-stale").exchange().expectStatus().isOk().expectHeader()
                .valueEquals("X-Answer-Stale-Age", "120");
        assertThat(counter("resilience.lastknowngood.age", "name:answers")).isEqualTo(served + 1);
        assertThat(measurement("resilience.lastknowngood.age", "MAX", "name:answers")).isGreaterThanOrEqualTo(120.0);

        assertShortBadRequest(post("/actuator/resilience/lastknowngood/answers", ADMIN,
                Map.of("config", Map.of("max-staleness", "0s"))), "max-staleness");
        post("/actuator/resilience/lastknowngood/answers", VIEWER, Map.of("purge", true)).expectStatus()
                .isForbidden();
        http.get().uri("/api/answer?q=ops-stale").exchange().expectStatus().isOk();

        post("/actuator/resilience/lastknowngood/answers", ADMIN, Map.of("purge", true, "key", "ops-stale"))
                .expectStatus().isOk();
        http.get().uri("/api/answer?q=ops-stale").exchange().expectStatus().isEqualTo(503);
    }

    private void openPrimaryProvider() {
        http.post().uri("/sim/primary").contentType(MediaType.APPLICATION_JSON).body(Map.of("failureRate", 1.0))
                .exchange().expectStatus().isOk();
        for (int i = 0; i < 5; i++) {
            http.get().uri("/api/answer?q=down" + i).exchange().expectStatus().isOk();
        }
        assertThat(breakers.get("primary-llm").getState()).isEqualTo(CircuitBreakerState.OPEN);
    }

    private void openInventory() {
        http.post().uri("/sim/inventory").contentType(MediaType.APPLICATION_JSON).body(Map.of("failureRate", 1.0))
                .exchange().expectStatus().isOk();
        for (int i = 0; i < 4; i++) {
            http.get().uri("/api/inventory/apple").exchange();
        }
        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.OPEN);
    }

    private String recommendationSource() {
        return (String) getJson("/api/recommendations/apple", 200).get("source");
    }

    private RestTestClient.ResponseSpec post(String uri, String authorization, Map<String, Object> body) {
        RestTestClient.RequestBodySpec request = http.post().uri(uri).contentType(MediaType.APPLICATION_JSON);
        if (authorization != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return request.body(body).exchange();
    }

    /** A 400 whose reply is short, yet names the property and says what is allowed. */
    private static void assertShortBadRequest(RestTestClient.ResponseSpec response, String... reasonContains) {
        String reply = response.expectStatus().isBadRequest().expectBody(String.class).returnResult()
                .getResponseBody();
        assertThat(reply.length()).as("reply length").isLessThan(2048);
        assertThat(reply).contains(reasonContains);
    }

    private Map<String, Object> health(int status) {
        return getJson("/actuator/health", status);
    }

    private Map<String, Object> getJson(String uri, int status) {
        return http.get().uri(uri).exchange().expectStatus().isEqualTo(status)
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    private double gauge(String name, String... tags) {
        return measurement(name, "VALUE", tags);
    }

    private double counter(String name, String... tags) {
        return measurement(name, "COUNT", tags);
    }

    @SuppressWarnings("unchecked")
    private double measurement(String name, String statistic, String... tags) {
        StringBuilder uri = new StringBuilder("/actuator/metrics/").append(name);
        for (int i = 0; i < tags.length; i++) {
            uri.append(i == 0 ? '?' : '&').append("tag=").append(tags[i]);
        }
        Map<String, Object> meter = getJson(uri.toString(), 200);
        assertThat((String) meter.get("description")).isNotBlank();
        return ((List<Map<String, Object>>) meter.get("measurements")).stream()
                .filter(measurement -> statistic.equals(measurement.get("statistic")))
                .mapToDouble(measurement -> ((Number) measurement.get("value")).doubleValue()).findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> component(Map<String, Object> health, String name) {
        return (Map<String, Object>) ((Map<String, Object>) health.get("components")).get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Map<String, Object> component) {
        return (Map<String, Object>) component.get("details");
    }

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }
}
