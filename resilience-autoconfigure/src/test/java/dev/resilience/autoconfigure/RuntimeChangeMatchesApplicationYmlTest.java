package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.autoconfigure.endpoint.ResilienceEndpoint;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointAutoConfiguration;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointWriteHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * A runtime change, {@code POST /actuator/resilience/{kind}/{name}} with {@code {"config": {...}}}, accepts
 * exactly the values that the same property accepts in {@code application.yml}. Bodies go through the endpoint's
 * write handler as the HTTP layer hands them over: parsed from JSON text. Each value is also written once as YAML
 * at startup, and both must agree, so the two paths cannot drift apart.
 */
class RuntimeChangeMatchesApplicationYmlTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An instance of every kind, so that each can be changed; none sets a property the tests change. */
    private static final String[] INSTANCES = {"management.endpoints.web.exposure.include=resilience",
            "resilience.chaos.enabled=true", "resilience.chaos.instances.primary.latency-rate=0",
            "resilience.circuitbreaker.instances.payments.slow-call-rate-threshold=100",
            "resilience.retry.instances.search.max-wait-duration=30s",
            "resilience.bulkhead.instances.pool.max-wait-duration=0",
            "resilience.ratelimiter.instances.api.timeout-duration=0",
            "resilience.timeout.configs.default.timeout-duration=1s",
            "resilience.timeout.instances.slow.base-config=default",
            "resilience.degradation.features.suggestions.enabled=true"};

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceEndpointAutoConfiguration.class, EndpointAutoConfiguration.class))
            .withPropertyValues(INSTANCES);

    @ParameterizedTest(name = "{0}/{1} {2}: {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "retries         | search   | max-attempts                                 | 2.5",
            "retries         | search   | max-attempts                                 | 2.000001",
            "retries         | search   | budget                                       | "
                    + "{\"ratio\": 0.5, \"min-retries-per-second\": 1.5}",
            "circuitbreakers | payments | sliding-window-size                          | 10.5",
            "circuitbreakers | payments | minimum-number-of-calls                      | 4.5",
            "circuitbreakers | payments | permitted-number-of-calls-in-half-open-state | 2.5",
            "bulkheads       | pool     | max-concurrent-calls                         | 4.5",
            "ratelimiters    | api      | limit-for-period                             | 7.5",
            "retries         | search   | max-attempts                                 | [30]",
            "retries         | search   | max-attempts                                 | {\"value\": 30}",
            "retries         | search   | max-attempts                                 | true",
            "circuitbreakers | payments | failure-rate-threshold                       | [20]",
            "circuitbreakers | payments | wait-duration-in-open-state                  | [\"5s\"]",
            "circuitbreakers | payments | criticality                                  | [\"critical\"]",
            "circuitbreakers | payments | sliding-window-type                          | {\"type\": \"time-based\"}",
            "timeouts        | slow     | cancel-running-future                        | [false]",
            "timeouts        | slow     | timeout-duration                             | {\"seconds\": 5}",
            "features        | suggestions | disable-at                                | [\"major\"]",
            "chaos           | primary  | failure-rate                                 | [0.5]"})
    void fractionArrayOrObjectWhereAScalarBelongsAnswers400AndChangesNothing(String kind, String name,
            String property, String value) {
        runner.run(context -> {
            Object before = config(context, kind, name);

            ResponseEntity<Object> reply = post(context, kind, name, "{\"config\": {\"" + property + "\": " + value
                    + "}}");

            assertThat(reply.getStatusCode().value()).as(String.valueOf(reply.getBody())).isEqualTo(400);
            assertThat(reply.getBody().toString()).contains(property);
            assertThat(config(context, kind, name)).as("nothing changed").isEqualTo(before);
        });
    }

    @Test
    void valuesThatApplicationYmlAcceptsAreAccepted() {
        runner.run(context -> {
            assertThat(post(context, "timeouts", "slow", "{\"config\": {\"cancel-running-future\": false}}")
                    .getStatusCode().value()).isEqualTo(200);
            assertThat(config(context, "timeouts", "slow")).containsEntry("cancel-running-future", false);
            assertThat(post(context, "timeouts", "slow", "{\"config\": {\"timeout-duration\": \"10s\"}}")
                    .getStatusCode().value()).isEqualTo(200);
            assertThat(config(context, "timeouts", "slow")).containsEntry("timeout-duration", "PT10S");
            assertThat(post(context, "retries", "search", "{\"config\": {\"max-attempts\": 5, \"wait-duration\": "
                    + "\"PT1S\", \"retry-exceptions\": [\"java.io.IOException\", \"java.lang.IllegalStateException\"],"
                    + " \"budget\": {\"ratio\": 0.5}}}").getStatusCode().value()).isEqualTo(200);
            assertThat(config(context, "retries", "search")).containsEntry("max-attempts", 5)
                    .containsEntry("wait-duration", "PT1S").containsEntry("budget.ratio", 0.5)
                    .containsEntry("retry-exceptions", List.of("java.io.IOException",
                            "java.lang.IllegalStateException"));
            assertThat(post(context, "features", "suggestions", "{\"config\": {\"enabled\": false, \"disable-at\": "
                    + "\"major\"}}").getStatusCode().value()).isEqualTo(200);
            assertThat(config(context, "features", "suggestions")).containsEntry("enabled", false)
                    .containsEntry("disable-at", "major");
        });
    }

    @Test
    void replyQuotesAtMostTheFirst100CharactersOfABadValue() {
        runner.run(context -> {
            String huge = "7".repeat(5000) + ".5";

            ResponseEntity<Object> reply = post(context, "retries", "search", "{\"config\": {\"max-attempts\": \""
                    + huge + "\"}}");

            assertThat(reply.getStatusCode().value()).isEqualTo(400);
            assertThat(reply.getBody().toString()).hasSizeLessThan(1024)
                    .contains("resilience.retry.instances.search.max-attempts")
                    .contains("'" + "7".repeat(100) + "… (5002 characters)'");
        });
    }

    /**
     * Each value written once in {@code application.yml} and once in a runtime change: both accept it with the
     * same effect, or both refuse it.
     */
    @ParameterizedTest(name = "{0}/{1} {2}: {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "retries         | search   | max-attempts                | 5",
            "retries         | search   | max-attempts                | \"7\"",
            "retries         | search   | max-attempts                | 2.0",
            "retries         | search   | max-attempts                | 2.5",
            "retries         | search   | max-attempts                | [30]",
            "retries         | search   | max-attempts                | {\"value\": 30}",
            "retries         | search   | max-attempts                | true",
            "retries         | search   | max-attempts                | \"three\"",
            "retries         | search   | max-attempts                | null",
            "retries         | search   | jitter                      | 0.25",
            "retries         | search   | retry-exceptions            | [\"java.io.IOException\"]",
            "retries         | search   | retry-exceptions            | \"java.io.IOException, java.lang.Error\"",
            "retries         | search   | retry-exceptions            | {\"first\": \"java.io.IOException\"}",
            "retries         | search   | budget                      | {\"ratio\": 0.5}",
            "retries         | search   | budget.ratio                | 0.5",
            "retries         | search   | budget                      | 0.5",
            "retries         | search   | no-such-property            | 1",
            "circuitbreakers | payments | failure-rate-threshold      | 20.5",
            "circuitbreakers | payments | failure-rate-threshold      | [20]",
            "circuitbreakers | payments | failureRateThreshold        | 30",
            "circuitbreakers | payments | wait-duration-in-open-state | \"10s\"",
            "circuitbreakers | payments | wait-duration-in-open-state | 5000",
            "circuitbreakers | payments | wait-duration-in-open-state | true",
            "circuitbreakers | payments | sliding-window-type         | \"TIME_BASED\"",
            "circuitbreakers | payments | sliding-window-type         | \"sliding\"",
            "circuitbreakers | payments | criticality                 | true",
            "circuitbreakers | payments | failure-rate-treshold       | 30",
            "bulkheads       | pool     | max-concurrent-calls        | 4.5",
            "ratelimiters    | api      | scope                       | \"local\"",
            "ratelimiters    | api      | scope                       | \"cluster\"",
            "ratelimiters    | api      | scope                       | \"clustered\"",
            "ratelimiters    | api      | expected-replicas           | 3",
            "ratelimiters    | api      | expected-replicas           | 2.5",
            "ratelimiters    | api      | on-backend-failure          | \"reject\"",
            "ratelimiters    | api      | on-backend-failure          | [\"reject\"]",
            "timeouts        | slow     | cancel-running-future       | true",
            "timeouts        | slow     | cancel-running-future       | \"false\"",
            "timeouts        | slow     | cancel-running-future       | \"sometimes\"",
            "timeouts        | slow     | cancel-running-future       | [true]",
            "features        | suggestions | enabled                  | false",
            "features        | suggestions | enabled                  | \"sometimes\"",
            "features        | suggestions | disable-at               | \"major\"",
            "features        | suggestions | disable-at               | [\"major\"]",
            "chaos           | primary  | failure-rate                | 0.5",
            "chaos           | primary  | latency                     | \"200ms\"",
            "chaos           | primary  | latency                     | [\"200ms\"]"})
    void endpointAcceptsExactlyWhatApplicationYmlAccepts(String kind, String name, String property, String value) {
        Outcome atStartup = atStartup(kind, name, property, value);
        Outcome atRuntime = atRuntime(kind, name, property, value);

        assertThat(atRuntime).isEqualTo(atStartup);
    }

    /** The instance's effective configuration after starting with the value in application.yml. */
    private Outcome atStartup(String kind, String name, String property, String value) {
        // JSON is YAML too: {"resilience": {"retry": {"instances": {"search": {"max-attempts": 2.5}}}}}
        String path = yamlPath(kind, name);
        String yaml = "{\"resilience\": {" + path + "{\"" + property + "\": " + value + "}"
                + "}".repeat((int) path.chars().filter(c -> c == '{').count()) + "}}";
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(yaml(yaml)))
                .run(context -> outcome.set(context.getStartupFailure() != null ? Outcome.REFUSED
                        : new Outcome(true, config(context, kind, name))));
        return outcome.get();
    }

    /** The instance's effective configuration after the same value arrived as a runtime change. */
    private Outcome atRuntime(String kind, String name, String property, String value) {
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        runner.run(context -> {
            Object before = config(context, kind, name);
            ResponseEntity<Object> reply = post(context, kind, name, "{\"config\": {\"" + property + "\": " + value
                    + "}}");
            if (reply.getStatusCode().value() == 400) {
                assertThat(config(context, kind, name)).as("a refused change changes nothing").isEqualTo(before);
                outcome.set(Outcome.REFUSED);
            }
            else {
                assertThat(reply.getStatusCode().value()).as(String.valueOf(reply.getBody())).isEqualTo(200);
                outcome.set(new Outcome(true, config(context, kind, name)));
            }
        });
        return outcome.get();
    }

    private static String yamlPath(String kind, String name) {
        String path = switch (kind) {
            case "circuitbreakers" -> "circuitbreaker\": {\"instances";
            case "retries" -> "retry\": {\"instances";
            case "bulkheads" -> "bulkhead\": {\"instances";
            case "ratelimiters" -> "ratelimiter\": {\"instances";
            case "timeouts" -> "timeout\": {\"instances";
            case "features" -> "degradation\": {\"features";
            default -> "chaos\": {\"instances";
        };
        return "\"" + path + "\": {\"" + name + "\": ";
    }

    private static PropertySource<?> yaml(String text) {
        try {
            return new YamlPropertySourceLoader().load("application.yml",
                    new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8), "application.yml")).get(0);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @SuppressWarnings("unchecked")
    static ResponseEntity<Object> post(AssertableApplicationContext context, String kind, String name, String json) {
        Map<String, Object> body = JSON.readValue(json, Map.class);
        return new ResilienceEndpointWriteHandler(context.getBean(ResilienceEndpoint.class)).change(kind, name, body);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> config(AssertableApplicationContext context, String kind, String name) {
        assertThat(context).hasNotFailed();
        Map<String, Object> instance = (Map<String, Object>) context.getBean(ResilienceEndpoint.class)
                .instance(kind, name).getBody();
        return (Map<String, Object>) instance.get("config");
    }

    private record Outcome(boolean accepted, Map<String, Object> config) {
        static final Outcome REFUSED = new Outcome(false, null);
    }
}
