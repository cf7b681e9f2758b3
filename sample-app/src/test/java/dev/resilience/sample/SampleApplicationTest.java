package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.FakeTime;
import dev.resilience.sample.answers.Answer;
import dev.resilience.sample.inventory.Stock;
import dev.resilience.test.ResilienceTest;
import dev.resilience.test.ResilienceTester;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The sample app over real HTTP: the assistant and inventory call the simulated dependencies on this
 * server's port. Time is fake, so retry waits take no time and breakers recover when the test says so.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ResilienceTest
class SampleApplicationTest {

    @Autowired
    RestTestClient http;

    @Autowired
    CircuitBreakerRegistry breakers;

    @Autowired
    FakeTime time;

    @Autowired
    ResilienceTester resilience;

    @BeforeEach
    void healthyDependenciesAndClosedBreakers() {
        http.post().uri("/sim/reset").exchange().expectStatus().isOk();
        resilience.reset();
    }

    @Test
    void answersFromThePrimaryProviderWhenHealthy() {
        Answer answer = ask("what is resilience?");

        assertThat(answer.source()).isEqualTo("primary");
        assertThat(answer.answer()).contains("what is resilience?");
    }

    @Test
    void secondaryAnswersWhilePrimaryIsDownAndThePrimaryBreakerOpens() {
        simulate("primary", Map.of("failureRate", 1.0));

        for (int i = 0; i < 8; i++) {
            assertThat(ask("q" + i).source()).isEqualTo("secondary");
        }

        assertThat(breakers.get("primary-llm").getState()).as("10 failed attempts of 2 per question")
                .isEqualTo(CircuitBreakerState.OPEN);
        assertThat(status("primary-llm")).containsEntry("state", "OPEN");
    }

    @Test
    void lastGoodAnswerWithItsAgeWhenBothProvidersAreDown() {
        assertThat(ask("cached?").source()).isEqualTo("primary");
        assertThat(ask("cached?").note()).as("a live answer has no note").isNull();
        simulate("primary", Map.of("failureRate", 1.0));
        simulate("secondary", Map.of("failureRate", 1.0));
        time.advance(Duration.ofMinutes(5));

        Answer answer = http.get().uri("/api/answer?q={q}", "cached?").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("X-Answer-Stale-Age", "300")
                .expectBody(Answer.class).returnResult().getResponseBody();

        assertThat(answer.source()).isEqualTo("cache");
        assertThat(answer.answer()).contains("(primary)");
        assertThat(answer.note()).contains("may be out of date", "5 minutes ago");
        http.get().uri("/api/answer?q={q}", "never asked").exchange().expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.answer").value(text -> assertThat((String) text).contains("unavailable"));
    }

    @Test
    void theSecondarysAnswerIsNotStored() {
        simulate("primary", Map.of("failureRate", 1.0));
        assertThat(ask("only the secondary knows").source()).isEqualTo("secondary");
        simulate("secondary", Map.of("failureRate", 1.0));

        http.get().uri("/api/answer?q={q}", "only the secondary knows").exchange().expectStatus().isEqualTo(503)
                .expectHeader().doesNotExist("X-Answer-Stale-Age");
    }

    @Test
    void blankQuestionIsTheCallersErrorAndSkipsTheFallbacks() {
        http.get().uri("/api/answer?q=").exchange().expectStatus().isBadRequest();
    }

    @Test
    void inventoryOpensItsBreakerWhenDownFailsFastAndRecovers() {
        http.get().uri("/api/inventory/apple").exchange().expectStatus().isOk().expectBody(Stock.class)
                .isEqualTo(new Stock("apple", 12));
        simulate("inventory", Map.of("failureRate", 1.0));

        // 1 success + 3 requests x 3 failed attempts: the 10th call reaches the minimum at 90% failures.
        for (int i = 0; i < 3; i++) {
            http.get().uri("/api/inventory/apple").exchange().expectStatus().isEqualTo(502);
        }
        http.get().uri("/api/inventory/apple").exchange().expectStatus().isEqualTo(503).expectBody()
                .jsonPath("$.instance").isEqualTo("inventory");

        simulate("inventory", Map.of("failureRate", 0.0));
        time.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            http.get().uri("/api/inventory/plum").exchange().expectStatus().isOk();
        }
        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void batchLookupGuardsEachLineOnItsOwnWithTheSameBreaker() {
        http.get().uri("/api/inventory?sku=apple&sku=kiwi&sku=plum").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.apple").isEqualTo(12).jsonPath("$.kiwi").isEqualTo("UnknownSkuException")
                .jsonPath("$.plum").isNumber();

        breakers.get("inventory").transitionToForcedOpen();

        http.get().uri("/api/inventory?sku=apple").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.apple").isEqualTo("CircuitBreakerOpenException");
    }

    @Test
    void unknownSkuIsNotRetriedAndDoesNotCountAgainstTheBreaker() {
        for (int i = 0; i < 12; i++) {
            http.get().uri("/api/inventory/kiwi").exchange().expectStatus().isNotFound();
        }

        assertThat(breakers.get("inventory").getState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(breakers.get("inventory").getMetrics().bufferedCalls()).isZero();
    }

    @Test
    void asynchronousLookupAnswersThroughTheSamePolicies() {
        http.get().uri("/api/inventory/plum/async").exchange().expectStatus().isOk().expectBody(Stock.class)
                .isEqualTo(new Stock("plum", 40));
        http.get().uri("/api/inventory/kiwi/async").exchange().expectStatus().isNotFound();
    }

    @Test
    void reactiveLookupAnswersThroughTheSamePolicies() {
        http.get().uri("/api/inventory/apple/reactive").exchange().expectStatus().isOk().expectBody(Stock.class)
                .isEqualTo(new Stock("apple", 12));
        http.get().uri("/api/inventory/kiwi/reactive").exchange().expectStatus().isNotFound();
        breakers.get("inventory").transitionToForcedOpen();
        http.get().uri("/api/inventory/apple/reactive").exchange().expectStatus().isEqualTo(503);
    }

    @Test
    void simulationRejectsBadSettingsAndChangesNothing() {
        http.post().uri("/sim/primary").contentType(MediaType.APPLICATION_JSON).body(Map.of("failureRate", 3))
                .exchange().expectStatus().isBadRequest();

        assertThat(ask("still fine?").source()).isEqualTo("primary");
    }

    private Answer ask(String question) {
        return http.get().uri("/api/answer?q={q}", question).exchange().expectStatus().isOk()
                .expectBody(Answer.class).returnResult().getResponseBody();
    }

    private void simulate(String dependency, Map<String, Object> settings) {
        http.post().uri("/sim/" + dependency).contentType(MediaType.APPLICATION_JSON).body(settings).exchange()
                .expectStatus().isOk();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> status(String breaker) {
        Map<String, Object> status = http.get().uri("/api/status").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult()
                .getResponseBody();
        return (Map<String, Object>) ((Map<String, Object>) status.get("circuitBreakers")).get(breaker);
    }
}
