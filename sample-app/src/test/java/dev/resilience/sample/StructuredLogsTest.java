package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.test.ResilienceTest;
import dev.resilience.test.ResilienceTester;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With Boot's structured logging on, the starter's log lines are JSON whose facts are fields, not only words in
 * the message: a log pipeline can alert on {@code resilience.to = OPEN} without parsing text.
 */
@SpringBootTest(properties = {"logging.structured.format.console=ecs",
        // Nothing listens there: the probe's checks fail, whatever else runs on this machine.
        "sample.dependencies.base-url=http://127.0.0.1:1"})
@ExtendWith(OutputCaptureExtension.class)
@ResilienceTest
class StructuredLogsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    ResilienceTester resilience;

    /**
     * Boot sets logging up once per JVM, for the first context; the contexts of the sample's other tests came
     * first. Forgetting that set-up lets this test's context set logging up again, with its structured format, and
     * the next context after it with the plain one.
     */
    @BeforeAll
    @AfterAll
    static void letTheNextContextSetLoggingUp() {
        LoggingSystem.get(StructuredLogsTest.class.getClassLoader()).cleanUp();
    }

    @AfterEach
    void reset() {
        resilience.reset();
    }

    @Test
    void aTransitionAndTheLevelChangeItCausesAreJsonWithTheirFactsAsFields(CapturedOutput output) {
        resilience.transition("inventory", CircuitBreakerState.FORCED_OPEN);

        JsonNode transition = line(output, "Circuit breaker 'inventory' CLOSED -> FORCED_OPEN");
        assertThat(transition.path("log").path("level").asString()).isEqualTo("WARN");
        JsonNode facts = transition.path("resilience");
        assertThat(facts.path("kind").asString()).isEqualTo("circuitbreaker");
        assertThat(facts.path("instance").asString()).isEqualTo("inventory");
        assertThat(facts.path("from").asString()).isEqualTo("CLOSED");
        assertThat(facts.path("to").asString()).isEqualTo("FORCED_OPEN");
        assertThat(facts.path("failure_rate_threshold").asDouble()).isEqualTo(50.0);
        assertThat(facts.path("criticality").asString()).isEqualTo("critical");

        JsonNode level = line(output, "Degradation level NONE -> CRITICAL").path("resilience");
        assertThat(level.path("kind").asString()).isEqualTo("degradation");
        assertThat(level.path("to").asString()).isEqualTo("CRITICAL");
        assertThat(level.path("impaired").asString()).isEqualTo("inventory");
        assertThat(level.path("set_by").asString()).isEqualTo("dependencies");
    }

    @Test
    void aProbeGoingDownIsOneJsonLineWithItsError(CapturedOutput output) {
        resilience.checkProbe("inventory-service");
        resilience.checkProbe("inventory-service");

        JsonNode down = line(output, "Dependency probe 'inventory-service' UNKNOWN -> DOWN");
        assertThat(down.path("log").path("level").asString()).isEqualTo("WARN");
        JsonNode facts = down.path("resilience");
        assertThat(facts.path("kind").asString()).isEqualTo("probe");
        assertThat(facts.path("instance").asString()).isEqualTo("inventory-service");
        assertThat(facts.path("to").asString()).isEqualTo("DOWN");
        assertThat(facts.path("circuit_breaker").asString()).isEqualTo("inventory");
        assertThat(facts.path("error").asString()).isNotBlank();
    }

    /** The JSON line whose message starts with {@code message}. */
    private static JsonNode line(CapturedOutput output, String message) {
        List<JsonNode> lines = output.getOut().lines().filter(text -> text.startsWith("{"))
                .map(text -> JSON.readTree(text)).filter(json -> json.path("message").asString().startsWith(message))
                .toList();
        assertThat(lines).as("a JSON log line starting with '" + message + "' in:%n" + output.getOut()).hasSize(1);
        return lines.get(0);
    }
}
